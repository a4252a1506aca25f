namespace Dialtone.Engine.Rtp.Streams;

/// <summary>
/// The hook through which RFC 4733 events (DTMF) are sent on a stream. At every packet slot, on the
/// media thread and before any audio is taken, the stream asks whether an event packet goes out
/// instead; the packet then shares the stream's SSRC and sequence space with the audio (RFC 4733 §2.1),
/// and the audio of that slot is not sent (RFC 4733 §2.5.1.2 lets the event replace it).
/// </summary>
/// <remarks>Implementations run on the hot path: they must not block, allocate or throw.</remarks>
public interface ITelephoneEventSource
{
    /// <summary>Writes the event payload for the slot whose audio would carry <paramref name="slotTimestamp"/>.</summary>
    /// <param name="slotTimestamp">The RTP timestamp an audio packet in this slot would carry.</param>
    /// <param name="samplesPerPacket">The stream's packet interval in timestamp units (ptime × 8).</param>
    /// <param name="payload">Where to write the event payload.</param>
    /// <param name="packet">The event packet's header fields and payload length.</param>
    /// <returns>True when an event packet is to be sent in this slot.</returns>
    bool TryWritePacket(uint slotTimestamp, int samplesPerPacket, Span<byte> payload, out TelephoneEventPacket packet);
}
