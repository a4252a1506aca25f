namespace Dialtone.Engine.Rtp.Packets;

/// <summary>The outcome of validating a datagram as a compound RTCP packet (RFC 3550 §6.1, §A.2).</summary>
public enum RtcpReadResult
{
    /// <summary>Every packet in the compound is well-formed.</summary>
    Success,

    /// <summary>Shorter than one RTCP common header, or not a whole number of 32-bit words.</summary>
    TooShort,

    /// <summary>A packet's version field is not 2.</summary>
    UnsupportedVersion,

    /// <summary>The first packet is not an SR or RR, or has padding (§A.2).</summary>
    NotStartingWithReport,

    /// <summary>A packet's length field runs past the datagram, or the lengths do not add up to it.</summary>
    LengthMismatch,

    /// <summary>Padding on a packet other than the last, or a padding count that does not fit.</summary>
    InvalidPadding,

    /// <summary>A packet's count field (report blocks, BYE sources) claims more than its length holds.</summary>
    CountPastEnd,
}
