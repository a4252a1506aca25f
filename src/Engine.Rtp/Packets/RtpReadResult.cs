namespace Dialtone.Engine.Rtp.Packets;

/// <summary>The outcome of reading a datagram as an RTP packet (RFC 3550 §5.1, validity checks of §A.1).</summary>
public enum RtpReadResult
{
    /// <summary>The datagram is a well-formed RTP packet.</summary>
    Success,

    /// <summary>Fewer than the 12 bytes of the fixed header.</summary>
    TooShort,

    /// <summary>The version field is not 2.</summary>
    UnsupportedVersion,

    /// <summary>The CSRC count claims more identifiers than the datagram holds.</summary>
    CsrcListTruncated,

    /// <summary>The X bit is set but the extension header or its declared length runs past the datagram.</summary>
    ExtensionTruncated,

    /// <summary>The P bit is set but the padding count is zero or larger than what follows the header.</summary>
    InvalidPadding,
}
