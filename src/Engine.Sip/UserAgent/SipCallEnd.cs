namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>How a call ended: cause, who ended it, the SIP status that decided it and a reason text.</summary>
public readonly struct SipCallEnd
{
    public SipCallEnd(SipCallEndCause cause, bool byRemote, int statusCode, string? reason)
    {
        Cause = cause;
        ByRemote = byRemote;
        StatusCode = statusCode;
        Reason = reason;
    }

    /// <summary>Why.</summary>
    public SipCallEndCause Cause { get; }

    /// <summary>True when the far end ended it (its BYE, its CANCEL, its final error response).</summary>
    public bool ByRemote { get; }

    /// <summary>
    /// The SIP status that decided the outcome: an unanswered call's final response (487 after our
    /// CANCEL, 408 for a timeout, 503 for a transport failure), the code of our rejection, or 0 for
    /// a call that was answered and then hung up.
    /// </summary>
    public int StatusCode { get; }

    /// <summary>The reason phrase of the final response, or the text of a BYE's Reason header (RFC 3326), or null.</summary>
    public string? Reason { get; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Cause}{(ByRemote ? " (remote)" : "")}{(StatusCode != 0 ? $" {StatusCode}" : "")}{(Reason is null ? "" : $" \"{Reason}\"")}";
}
