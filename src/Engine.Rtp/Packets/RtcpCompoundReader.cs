using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Packets;

/// <summary>
/// Walks the packets of a compound RTCP datagram. <see cref="TryCreate"/> runs the header validity
/// checks of RFC 3550 §A.2 over the whole datagram first, so a datagram is either accepted whole or
/// rejected with a reason; a hostile length or count field can never make a read run past the buffer.
/// </summary>
public ref struct RtcpCompoundReader
{
    private ReadOnlySpan<byte> _remaining;

    private RtcpCompoundReader(ReadOnlySpan<byte> datagram) => _remaining = datagram;

    /// <summary>Validates <paramref name="datagram"/> as a compound RTCP packet.</summary>
    public static RtcpReadResult TryCreate(ReadOnlySpan<byte> datagram, out RtcpCompoundReader reader)
    {
        reader = default;
        RtcpReadResult result = Validate(datagram);
        if (result == RtcpReadResult.Success)
        {
            reader = new RtcpCompoundReader(datagram);
        }

        return result;
    }

    /// <summary>Moves to the next packet of the compound.</summary>
    public bool TryReadNext(out RtcpPacket packet)
    {
        if (_remaining.Length < RtcpPacket.HeaderLength)
        {
            packet = default;
            return false;
        }

        byte first = _remaining[0];
        int length = (BinaryPrimitives.ReadUInt16BigEndian(_remaining.Slice(2, 2)) + 1) * 4;
        ReadOnlySpan<byte> body = _remaining[RtcpPacket.HeaderLength..length];
        if ((first & 0x20) != 0)
        {
            body = body[..^_remaining[length - 1]];
        }

        packet = new RtcpPacket(_remaining[1], first & 0x1F, body);
        _remaining = _remaining[length..];
        return true;
    }

    private static RtcpReadResult Validate(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < RtcpPacket.HeaderLength || datagram.Length % 4 != 0)
        {
            return RtcpReadResult.TooShort;
        }

        // §A.2: the first packet of a compound is an SR or RR and carries no padding.
        byte firstType = datagram[1];
        if (datagram[0] >> 6 == 2
            && ((datagram[0] & 0x20) != 0
                || firstType is not ((byte)RtcpPacketType.SenderReport or (byte)RtcpPacketType.ReceiverReport)))
        {
            return RtcpReadResult.NotStartingWithReport;
        }

        int offset = 0;
        while (offset < datagram.Length)
        {
            ReadOnlySpan<byte> rest = datagram[offset..];
            if (rest.Length < RtcpPacket.HeaderLength)
            {
                return RtcpReadResult.LengthMismatch;
            }

            byte first = rest[0];
            if (first >> 6 != 2)
            {
                return RtcpReadResult.UnsupportedVersion;
            }

            int length = (BinaryPrimitives.ReadUInt16BigEndian(rest.Slice(2, 2)) + 1) * 4;
            if (length > rest.Length)
            {
                return RtcpReadResult.LengthMismatch;
            }

            int bodyLength = length - RtcpPacket.HeaderLength;
            if ((first & 0x20) != 0)
            {
                // §A.2: only the last packet of a compound may be padded.
                int padding = rest[length - 1];
                if (length != rest.Length || padding == 0 || padding > bodyLength)
                {
                    return RtcpReadResult.InvalidPadding;
                }

                bodyLength -= padding;
            }

            int count = first & 0x1F;
            int required = rest[1] switch
            {
                (byte)RtcpPacketType.SenderReport => 4 + RtcpSenderInfo.Length + count * RtcpReportBlock.Length,
                (byte)RtcpPacketType.ReceiverReport => 4 + count * RtcpReportBlock.Length,
                (byte)RtcpPacketType.Goodbye => count * 4,
                (byte)RtcpPacketType.SourceDescription => count == 0 ? 0 : 4,
                _ => 0,
            };
            if (required > bodyLength)
            {
                return RtcpReadResult.CountPastEnd;
            }

            offset += length;
        }

        return RtcpReadResult.Success;
    }
}
