using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Packets;

/// <summary>
/// A validated view over one RTP packet (RFC 3550 §5.1). Nothing is copied: the payload, CSRC list and
/// extension are slices of the datagram that was read, so the view lives only as long as that buffer.
/// </summary>
public readonly ref struct RtpPacket
{
    /// <summary>Bytes in the fixed header (V/P/X/CC, M/PT, sequence number, timestamp, SSRC).</summary>
    public const int FixedHeaderLength = 12;

    /// <summary>The only RTP version this engine speaks.</summary>
    public const int SupportedVersion = 2;

    private readonly ReadOnlySpan<byte> _csrcList;

    private RtpPacket(
        bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc,
        ReadOnlySpan<byte> csrcList, bool hasExtension, ushort extensionProfile, ReadOnlySpan<byte> extensionData,
        ReadOnlySpan<byte> payload, int paddingLength)
    {
        Marker = marker;
        PayloadType = payloadType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        _csrcList = csrcList;
        HasExtension = hasExtension;
        ExtensionProfile = extensionProfile;
        ExtensionData = extensionData;
        Payload = payload;
        PaddingLength = paddingLength;
    }

    /// <summary>The M bit; for audio, the first packet of a talkspurt (RFC 3551 §4.1).</summary>
    public bool Marker { get; }

    /// <summary>The 7-bit payload type.</summary>
    public byte PayloadType { get; }

    /// <summary>The 16-bit sequence number.</summary>
    public ushort SequenceNumber { get; }

    /// <summary>The 32-bit RTP timestamp.</summary>
    public uint Timestamp { get; }

    /// <summary>The synchronization source identifier.</summary>
    public uint Ssrc { get; }

    /// <summary>Number of contributing sources listed after the fixed header (0..15).</summary>
    public int CsrcCount => _csrcList.Length / 4;

    /// <summary>True when the X bit announced a header extension (RFC 3550 §5.3.1).</summary>
    public bool HasExtension { get; }

    /// <summary>The "defined by profile" field of the header extension, 0 when there is none.</summary>
    public ushort ExtensionProfile { get; }

    /// <summary>The header extension's data words (without its 4-byte header).</summary>
    public ReadOnlySpan<byte> ExtensionData { get; }

    /// <summary>The payload, with any padding removed.</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Octets of padding that followed the payload (the last octet's count, RFC 3550 §5.1 "P").</summary>
    public int PaddingLength { get; }

    /// <summary>The CSRC at <paramref name="index"/> (0-based, below <see cref="CsrcCount"/>).</summary>
    public uint GetCsrc(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, CsrcCount);
        return BinaryPrimitives.ReadUInt32BigEndian(_csrcList.Slice(index * 4, 4));
    }

    /// <summary>
    /// Reads <paramref name="datagram"/> as an RTP packet. Every length the header declares is checked
    /// against the datagram, so a malformed or hostile packet yields a result, never an exception.
    /// </summary>
    public static RtpReadResult TryRead(ReadOnlySpan<byte> datagram, out RtpPacket packet)
    {
        packet = default;
        if (datagram.Length < FixedHeaderLength)
        {
            return RtpReadResult.TooShort;
        }

        byte first = datagram[0];
        if (first >> 6 != SupportedVersion)
        {
            return RtpReadResult.UnsupportedVersion;
        }

        bool hasPadding = (first & 0x20) != 0;
        bool hasExtension = (first & 0x10) != 0;
        int csrcCount = first & 0x0F;
        byte second = datagram[1];

        int offset = FixedHeaderLength;
        int csrcBytes = csrcCount * 4;
        if (datagram.Length < offset + csrcBytes)
        {
            return RtpReadResult.CsrcListTruncated;
        }

        ReadOnlySpan<byte> csrcList = datagram.Slice(offset, csrcBytes);
        offset += csrcBytes;

        ushort extensionProfile = 0;
        ReadOnlySpan<byte> extensionData = default;
        if (hasExtension)
        {
            // RFC 3550 §5.3.1: 16-bit profile field, then the extension's length in 32-bit words
            // excluding this 4-byte header.
            if (datagram.Length < offset + 4)
            {
                return RtpReadResult.ExtensionTruncated;
            }

            extensionProfile = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(offset, 2));
            int extensionBytes = BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(offset + 2, 2)) * 4;
            offset += 4;
            if (datagram.Length < offset + extensionBytes)
            {
                return RtpReadResult.ExtensionTruncated;
            }

            extensionData = datagram.Slice(offset, extensionBytes);
            offset += extensionBytes;
        }

        int end = datagram.Length;
        int paddingLength = 0;
        if (hasPadding)
        {
            // RFC 3550 §5.1: the last octet counts the padding octets including itself, so it is at
            // least 1 and cannot reach back into the header.
            paddingLength = datagram[^1];
            if (paddingLength == 0 || paddingLength > end - offset)
            {
                return RtpReadResult.InvalidPadding;
            }

            end -= paddingLength;
        }

        packet = new RtpPacket(
            marker: (second & 0x80) != 0,
            payloadType: (byte)(second & 0x7F),
            sequenceNumber: BinaryPrimitives.ReadUInt16BigEndian(datagram.Slice(2, 2)),
            timestamp: BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(4, 4)),
            ssrc: BinaryPrimitives.ReadUInt32BigEndian(datagram.Slice(8, 4)),
            csrcList,
            hasExtension,
            extensionProfile,
            extensionData,
            payload: datagram[offset..end],
            paddingLength);
        return RtpReadResult.Success;
    }
}
