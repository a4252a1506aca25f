using System.Buffers.Binary;

namespace Dialtone.Engine.Dtmf.Rfc4733;

/// <summary>
/// One RFC 4733 event block (§2.3), 4 octets: the event code, the E (end) bit, the R bit, a 6-bit
/// volume in -dBm0, and the duration so far in timestamp units.
/// </summary>
/// <param name="EventCode">0-255; 0-15 are the DTMF digits (§3.2).</param>
/// <param name="End">Set in the packets that report the event's end (§2.5.1.4).</param>
/// <param name="Volume">Power level in -dBm0, 0-63 (§2.3.4).</param>
/// <param name="Duration">Duration of the event (or segment) so far, in RTP timestamp units (§2.3.5).</param>
public readonly record struct TelephoneEvent(byte EventCode, bool End, byte Volume, ushort Duration)
{
    /// <summary>Octets of one event block.</summary>
    public const int Length = 4;

    /// <summary>Reads the first event block of a payload; false when it is shorter than 4 octets.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent telephoneEvent)
    {
        if (payload.Length < Length)
        {
            telephoneEvent = default;
            return false;
        }

        // The R bit (0x40) is reserved: senders set it to 0 and receivers ignore it (§2.3.3).
        telephoneEvent = new TelephoneEvent(
            payload[0],
            (payload[1] & 0x80) != 0,
            (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(2, 2)));
        return true;
    }

    /// <summary>Writes the block into the first 4 octets of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        destination[0] = EventCode;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2, 2), Duration);
    }
}
