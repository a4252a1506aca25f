namespace Dialtone.Daemon.Callbacks;

/// <summary>Where a status callback is in its life. Only <see cref="Pending"/> is not final.</summary>
public enum OutboxState
{
    /// <summary>Written, not yet delivered: waiting for its turn or its next attempt.</summary>
    Pending,

    /// <summary>The receiver answered 2xx.</summary>
    Delivered,

    /// <summary>The receiver refused it for good (a 4xx other than 408/429, a redirect, or a forbidden address): not retried.</summary>
    Rejected,

    /// <summary>Still failing when the retry policy ran out (attempts or age): recorded, never silently dropped.</summary>
    GivenUp,
}
