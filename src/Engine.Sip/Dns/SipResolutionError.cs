namespace Dialtone.Engine.Sip.Dns;

/// <summary>Why a SIP target could not be resolved.</summary>
public enum SipResolutionError
{
    /// <summary>The name does not exist or has no usable NAPTR/SRV/A/AAAA records.</summary>
    NotFound,

    /// <summary>No name server answered within the query timeout (and its retries).</summary>
    Timeout,

    /// <summary>A name server answered with an error (SERVFAIL, REFUSED, ...).</summary>
    ServerFailure,

    /// <summary>An answer could not be read (truncated, garbled, or not a DNS message).</summary>
    MalformedResponse,
}
