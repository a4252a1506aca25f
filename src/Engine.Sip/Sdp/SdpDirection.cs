namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// The media direction attributes of RFC 4566 §6. A stream with none of them is sendrecv; a
/// media-level attribute overrides the session-level one (RFC 3264 §5.1).
/// </summary>
public enum SdpDirection
{
    /// <summary>"a=sendrecv": both directions (the default).</summary>
    SendRecv = 0,

    /// <summary>"a=sendonly": the describing side only sends.</summary>
    SendOnly = 1,

    /// <summary>"a=recvonly": the describing side only receives.</summary>
    RecvOnly = 2,

    /// <summary>"a=inactive": no media in either direction (e.g. both sides on hold).</summary>
    Inactive = 3,
}
