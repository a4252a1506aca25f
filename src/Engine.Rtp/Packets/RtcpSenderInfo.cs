using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Packets;

/// <summary>The sender information section of an SR (RFC 3550 §6.4.1), 20 bytes on the wire.</summary>
/// <param name="NtpTimestamp">Wallclock time when the report was sent, 64-bit NTP format.</param>
/// <param name="RtpTimestamp">The same instant in the stream's RTP timestamp units.</param>
/// <param name="PacketCount">RTP data packets sent since the start of transmission.</param>
/// <param name="OctetCount">Payload octets sent since the start of transmission.</param>
public readonly record struct RtcpSenderInfo(ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount)
{
    /// <summary>Bytes of the sender information on the wire.</summary>
    public const int Length = 20;

    internal static RtcpSenderInfo Read(ReadOnlySpan<byte> source) => new(
        BinaryPrimitives.ReadUInt64BigEndian(source[..8]),
        BinaryPrimitives.ReadUInt32BigEndian(source.Slice(8, 4)),
        BinaryPrimitives.ReadUInt32BigEndian(source.Slice(12, 4)),
        BinaryPrimitives.ReadUInt32BigEndian(source.Slice(16, 4)));

    internal void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination[..8], NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8, 4), RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12, 4), PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16, 4), OctetCount);
    }
}
