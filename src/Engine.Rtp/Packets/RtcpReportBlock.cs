using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Packets;

/// <summary>One reception report block of an SR or RR (RFC 3550 §6.4.1), 24 bytes on the wire.</summary>
/// <param name="Ssrc">The source this block reports on.</param>
/// <param name="FractionLost">Fraction lost since the previous report, in 1/256 units (§A.3).</param>
/// <param name="CumulativeLost">Packets lost since reception began; a signed 24-bit value on the wire.</param>
/// <param name="ExtendedHighestSequence">Cycles in the high 16 bits, highest sequence number in the low 16 (§A.1).</param>
/// <param name="InterarrivalJitter">Interarrival jitter in timestamp units (§A.8).</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP timestamp of the last SR received from the source, 0 if none.</param>
/// <param name="DelaySinceLastSenderReport">Delay between receiving that SR and sending this block, in 1/65536 s.</param>
public readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint InterarrivalJitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    /// <summary>Bytes of one block on the wire.</summary>
    public const int Length = 24;

    /// <summary>Largest cumulative loss a block can carry (a signed 24-bit field).</summary>
    public const int MaxCumulativeLost = 0x7FFFFF;

    /// <summary>Smallest cumulative loss (duplicates can make it negative, §6.4.1).</summary>
    public const int MinCumulativeLost = -0x800000;

    internal static RtcpReportBlock Read(ReadOnlySpan<byte> source)
    {
        // The 24-bit cumulative loss is two's complement: shift it to the top of an int and back to sign-extend.
        int cumulativeLost = (int)(BinaryPrimitives.ReadUInt32BigEndian(source.Slice(4, 4)) << 8) >> 8;
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source[..4]),
            source[4],
            cumulativeLost,
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(8, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(12, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(16, 4)),
            BinaryPrimitives.ReadUInt32BigEndian(source.Slice(20, 4)));
    }

    internal void Write(Span<byte> destination)
    {
        int lost = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination[..4], Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), ((uint)FractionLost << 24) | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8, 4), ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12, 4), InterarrivalJitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16, 4), LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20, 4), DelaySinceLastSenderReport);
    }
}
