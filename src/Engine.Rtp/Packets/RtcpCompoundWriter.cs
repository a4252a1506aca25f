using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Packets;

/// <summary>
/// Builds a compound RTCP packet (RFC 3550 §6.1) in a caller's buffer: an SR or RR first, then SDES,
/// then optionally BYE. Each <c>TryWrite</c> appends one packet and returns false, writing nothing,
/// when the buffer has no room for it. Nothing is allocated.
/// </summary>
public ref struct RtcpCompoundWriter
{
    private readonly Span<byte> _destination;

    /// <summary>Starts an empty compound packet in <paramref name="destination"/>.</summary>
    public RtcpCompoundWriter(Span<byte> destination) => _destination = destination;

    /// <summary>Bytes written so far: the length of the compound datagram.</summary>
    public int BytesWritten { get; private set; }

    /// <summary>The compound packet written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _destination[..BytesWritten];

    /// <summary>Appends an SR (§6.4.1) from <paramref name="ssrc"/> with up to 31 report blocks.</summary>
    public bool TryWriteSenderReport(uint ssrc, in RtcpSenderInfo senderInfo, scoped ReadOnlySpan<RtcpReportBlock> reportBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reportBlocks.Length, 31);
        int length = RtcpPacket.HeaderLength + 4 + RtcpSenderInfo.Length + reportBlocks.Length * RtcpReportBlock.Length;
        if (!TryReserve(length, out Span<byte> packet))
        {
            return false;
        }

        WriteCommonHeader(packet, reportBlocks.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4, 4), ssrc);
        senderInfo.Write(packet.Slice(8, RtcpSenderInfo.Length));
        WriteReportBlocks(packet[(8 + RtcpSenderInfo.Length)..], reportBlocks);
        return true;
    }

    /// <summary>Appends an RR (§6.4.2) from <paramref name="ssrc"/> with up to 31 report blocks.</summary>
    public bool TryWriteReceiverReport(uint ssrc, scoped ReadOnlySpan<RtcpReportBlock> reportBlocks)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reportBlocks.Length, 31);
        int length = RtcpPacket.HeaderLength + 4 + reportBlocks.Length * RtcpReportBlock.Length;
        if (!TryReserve(length, out Span<byte> packet))
        {
            return false;
        }

        WriteCommonHeader(packet, reportBlocks.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4, 4), ssrc);
        WriteReportBlocks(packet[8..], reportBlocks);
        return true;
    }

    /// <summary>Appends an SDES (§6.5) with one chunk holding the CNAME item of <paramref name="ssrc"/>.</summary>
    public bool TryWriteSourceDescription(uint ssrc, scoped ReadOnlySpan<byte> cname)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cname.Length, 255);

        // Chunk = SSRC, item (type, length, text), then one to four null octets so the chunk ends on a
        // 32-bit boundary (§6.5: the item list is terminated by at least one null octet).
        int itemsLength = 2 + cname.Length;
        int chunkLength = 4 + ((itemsLength / 4) + 1) * 4;
        int length = RtcpPacket.HeaderLength + chunkLength;
        if (!TryReserve(length, out Span<byte> packet))
        {
            return false;
        }

        WriteCommonHeader(packet, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4, 4), ssrc);
        packet[8] = RtcpPacket.SdesCname;
        packet[9] = (byte)cname.Length;
        cname.CopyTo(packet[10..]);
        packet[(10 + cname.Length)..].Clear();
        return true;
    }

    /// <summary>Appends a BYE (§6.6) for <paramref name="ssrc"/> with an optional reason.</summary>
    public bool TryWriteGoodbye(uint ssrc, scoped ReadOnlySpan<byte> reason = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(reason.Length, 255);
        int reasonLength = reason.IsEmpty ? 0 : (1 + reason.Length + 3) / 4 * 4;
        int length = RtcpPacket.HeaderLength + 4 + reasonLength;
        if (!TryReserve(length, out Span<byte> packet))
        {
            return false;
        }

        WriteCommonHeader(packet, 1, RtcpPacketType.Goodbye, length);
        BinaryPrimitives.WriteUInt32BigEndian(packet.Slice(4, 4), ssrc);
        if (!reason.IsEmpty)
        {
            packet[8] = (byte)reason.Length;
            reason.CopyTo(packet[9..]);
            packet[(9 + reason.Length)..].Clear();
        }

        return true;
    }

    private bool TryReserve(int length, out Span<byte> packet)
    {
        if (_destination.Length - BytesWritten < length)
        {
            packet = default;
            return false;
        }

        packet = _destination.Slice(BytesWritten, length);
        BytesWritten += length;
        return true;
    }

    private static void WriteCommonHeader(Span<byte> packet, int count, RtcpPacketType type, int length)
    {
        packet[0] = (byte)(0x80 | count);
        packet[1] = (byte)type;

        // §6.4.1: the length field is the packet's length in 32-bit words minus one.
        BinaryPrimitives.WriteUInt16BigEndian(packet.Slice(2, 2), (ushort)(length / 4 - 1));
    }

    private static void WriteReportBlocks(Span<byte> destination, scoped ReadOnlySpan<RtcpReportBlock> reportBlocks)
    {
        for (int i = 0; i < reportBlocks.Length; i++)
        {
            reportBlocks[i].Write(destination.Slice(i * RtcpReportBlock.Length, RtcpReportBlock.Length));
        }
    }
}
