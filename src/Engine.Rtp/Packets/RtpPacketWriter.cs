using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Packets;

/// <summary>Writes RTP packets (RFC 3550 §5.1) into a caller's buffer; nothing is allocated.</summary>
public static class RtpPacketWriter
{
    /// <summary>Writes the 12-byte fixed header (version 2, no padding, no extension, no CSRCs).</summary>
    /// <returns><see cref="RtpPacket.FixedHeaderLength"/>, or 0 when <paramref name="destination"/> is too small.</returns>
    public static int WriteHeader(Span<byte> destination, in RtpHeader header)
    {
        if (header.PayloadType > 127)
        {
            ThrowPayloadTypeOutOfRange(header.PayloadType);
        }

        if (destination.Length < RtpPacket.FixedHeaderLength)
        {
            return 0;
        }

        destination[0] = RtpPacket.SupportedVersion << 6;
        destination[1] = (byte)((header.Marker ? 0x80 : 0) | header.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), header.SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4, 4), header.Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8, 4), header.Ssrc);
        return RtpPacket.FixedHeaderLength;
    }

    /// <summary>Writes the fixed header followed by <paramref name="payload"/>.</summary>
    /// <returns>False (and nothing meaningful written) when <paramref name="destination"/> is too small.</returns>
    public static bool TryWrite(Span<byte> destination, in RtpHeader header, ReadOnlySpan<byte> payload, out int bytesWritten)
    {
        int total = RtpPacket.FixedHeaderLength + payload.Length;
        if (destination.Length < total)
        {
            bytesWritten = 0;
            return false;
        }

        WriteHeader(destination, header);
        payload.CopyTo(destination[RtpPacket.FixedHeaderLength..]);
        bytesWritten = total;
        return true;
    }

    private static void ThrowPayloadTypeOutOfRange(byte payloadType) =>
        throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "An RTP payload type is 7 bits (0..127).");
}
