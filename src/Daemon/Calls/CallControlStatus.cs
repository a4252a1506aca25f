namespace Dialtone.Daemon.Calls;

/// <summary>The outcome class of an <see cref="ICallControl"/> operation.</summary>
public enum CallControlStatus
{
    Ok,

    /// <summary>No such call in the caller's account.</summary>
    NotFound,

    /// <summary>The call's state does not allow it (redirecting a finished call, canceling an answered one).</summary>
    InvalidState,

    /// <summary>The account is at its queued (or, when rejecting, active) calls bound.</summary>
    OverLimit,

    /// <summary>The daemon is shutting down and takes no new calls.</summary>
    ShuttingDown,
}
