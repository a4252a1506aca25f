namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>Why a call ended (or never got answered).</summary>
public enum SipCallEndCause : byte
{
    /// <summary>Not ended.</summary>
    None = 0,

    /// <summary>The far end answered the INVITE with a final error (<see cref="SipCallEnd.StatusCode"/>: 4xx-6xx).</summary>
    Rejected,

    /// <summary>We cancelled the INVITE because the caller asked (<see cref="SipCall.Cancel"/>).</summary>
    Canceled,

    /// <summary>We cancelled the INVITE because the ring timeout ran out.</summary>
    RingTimeout,

    /// <summary>No final response to the INVITE (Timer B, RFC 3261 §17.1.1.2) on any target.</summary>
    Timeout,

    /// <summary>The transport could not reach the peer (connection refused or lost, RFC 3261 §17.1.4).</summary>
    TransportFailure,

    /// <summary>The trunk's host could not be resolved (RFC 3263).</summary>
    ResolutionFailed,

    /// <summary>A 401/407 we could not or would not answer again (wrong credentials, unknown realm).</summary>
    AuthenticationFailed,

    /// <summary>We hung up (BYE sent).</summary>
    LocalHangup,

    /// <summary>The peer hung up (BYE received).</summary>
    RemoteHangup,

    /// <summary>RFC 4028: the session was not refreshed in time, so we sent BYE.</summary>
    SessionTimerExpired,

    /// <summary>Incoming: the caller cancelled before we answered.</summary>
    RemoteCancel,

    /// <summary>Incoming: we rejected the INVITE (<see cref="SipCall.Reject"/>).</summary>
    LocalReject,

    /// <summary>Incoming: our 2xx was never acknowledged (RFC 3261 §13.3.1.4), so we sent BYE.</summary>
    NoAck,

    /// <summary>A request in the dialog got 481 or 408, or timed out: the dialog is gone (RFC 3261 §12.2.1.2).</summary>
    DialogLost,

    /// <summary>The user agent was shut down.</summary>
    Shutdown,
}
