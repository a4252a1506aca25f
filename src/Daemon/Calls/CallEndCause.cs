namespace Dialtone.Daemon.Calls;

/// <summary>Why our side ended an unanswered INVITE, which decides what a 487 means.</summary>
public enum CallEndCause
{
    /// <summary>We did not cancel: any final response is the far end's own answer.</summary>
    None,

    /// <summary>We sent CANCEL because the ring Timeout ran out: the call was not answered.</summary>
    RingTimeout,

    /// <summary>We sent CANCEL because the API asked (<c>status=canceled</c> or <c>completed</c>).</summary>
    ApiCancel,
}
