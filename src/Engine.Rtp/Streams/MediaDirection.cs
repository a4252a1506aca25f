namespace Dialtone.Engine.Rtp.Streams;

/// <summary>
/// Which way media flows on a stream, from this side's point of view (the SDP direction attribute this
/// side put in its offer or answer, RFC 3264 §5.1, §8.4). RTCP keeps flowing in every direction.
/// </summary>
public enum MediaDirection
{
    /// <summary>Send and receive audio.</summary>
    SendReceive,

    /// <summary>Send audio; received audio is counted but not played out (we put the peer on hold with music).</summary>
    SendOnly,

    /// <summary>Receive audio but send none (the peer put us on hold).</summary>
    ReceiveOnly,

    /// <summary>Neither send nor play out audio; RTCP continues.</summary>
    Inactive,
}
