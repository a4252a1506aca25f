using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Packets;

/// <summary>
/// One packet of a validated compound RTCP packet (RFC 3550 §6.4-§6.6). The view is only handed out by
/// <see cref="RtcpCompoundReader"/>, which has already checked its length and count fields, so the
/// accessors below cannot run past its end.
/// </summary>
public readonly ref struct RtcpPacket
{
    /// <summary>Bytes of the common header (V/P/count, type, length).</summary>
    public const int HeaderLength = 4;

    /// <summary>SDES item type of the canonical name (RFC 3550 §6.5.1).</summary>
    public const byte SdesCname = 1;

    private readonly ReadOnlySpan<byte> _body;

    internal RtcpPacket(byte type, int count, ReadOnlySpan<byte> body)
    {
        Type = type;
        Count = count;
        _body = body;
    }

    /// <summary>The raw packet type (see <see cref="RtcpPacketType"/>; others are passed through).</summary>
    public byte Type { get; }

    /// <summary>The 5-bit count field: report blocks for SR/RR, chunks for SDES, sources for BYE.</summary>
    public int Count { get; }

    /// <summary>The packet after its common header, padding removed.</summary>
    public ReadOnlySpan<byte> Body => _body;

    /// <summary>The packet's first SSRC (sender of an SR/RR, first chunk of SDES, first source of BYE); 0 if none.</summary>
    public uint Ssrc => _body.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(_body) : 0;

    /// <summary>Report blocks carried by an SR or RR; 0 for other types.</summary>
    public int ReportBlockCount => Type is (byte)RtcpPacketType.SenderReport or (byte)RtcpPacketType.ReceiverReport ? Count : 0;

    /// <summary>The sender information of an SR.</summary>
    public bool TryGetSenderInfo(out RtcpSenderInfo senderInfo)
    {
        if (Type != (byte)RtcpPacketType.SenderReport)
        {
            senderInfo = default;
            return false;
        }

        senderInfo = RtcpSenderInfo.Read(_body.Slice(4, RtcpSenderInfo.Length));
        return true;
    }

    /// <summary>The report block at <paramref name="index"/> of an SR or RR.</summary>
    public RtcpReportBlock GetReportBlock(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, ReportBlockCount);
        int start = 4 + (Type == (byte)RtcpPacketType.SenderReport ? RtcpSenderInfo.Length : 0) + index * RtcpReportBlock.Length;
        return RtcpReportBlock.Read(_body.Slice(start, RtcpReportBlock.Length));
    }

    /// <summary>The source at <paramref name="index"/> of a BYE.</summary>
    public uint GetGoodbyeSource(int index)
    {
        if (Type != (byte)RtcpPacketType.Goodbye)
        {
            throw new InvalidOperationException("Not a BYE packet.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return BinaryPrimitives.ReadUInt32BigEndian(_body.Slice(index * 4, 4));
    }

    /// <summary>
    /// Finds the CNAME of the first SDES chunk (RFC 3550 §6.5). A chunk whose items run past the packet
    /// yields false rather than a partial name.
    /// </summary>
    public bool TryGetCname(out uint ssrc, out ReadOnlySpan<byte> cname)
    {
        ssrc = 0;
        cname = default;
        if (Type != (byte)RtcpPacketType.SourceDescription || Count == 0 || _body.Length < 4)
        {
            return false;
        }

        ssrc = BinaryPrimitives.ReadUInt32BigEndian(_body);
        int offset = 4;
        while (offset < _body.Length)
        {
            byte itemType = _body[offset];
            if (itemType == 0)
            {
                // A null octet ends the chunk's item list (§6.5).
                return false;
            }

            if (offset + 2 > _body.Length)
            {
                return false;
            }

            int length = _body[offset + 1];
            if (offset + 2 + length > _body.Length)
            {
                return false;
            }

            if (itemType == SdesCname)
            {
                cname = _body.Slice(offset + 2, length);
                return true;
            }

            offset += 2 + length;
        }

        return false;
    }
}
