namespace Dialtone.Daemon.Calls;

/// <summary>What the API asks of a live call.</summary>
public enum CallCommandKind
{
    /// <summary>Fetch and run a new application (<c>url</c> or <c>twiml</c>), dropping the current one.</summary>
    Redirect,

    /// <summary>End the call whatever its state (<c>status=completed</c>): BYE if answered, CANCEL if not.</summary>
    Hangup,

    /// <summary>End the call only if not yet answered (<c>status=canceled</c>): CANCEL.</summary>
    Cancel,
}
