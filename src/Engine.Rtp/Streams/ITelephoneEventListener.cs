namespace Dialtone.Engine.Rtp.Streams;

/// <summary>
/// Receives the RFC 4733 telephone-event packets that arrive on a stream (those whose payload type is
/// the negotiated telephone-event type), on the stream's receive path: the stream's media thread in
/// <see cref="Media.ReceiveMode.Polling"/>, its receive loop in <see cref="Media.ReceiveMode.Async"/>.
/// </summary>
/// <remarks>
/// Implementations run on the hot path, in polling mode on the thread that paces hundreds of other
/// streams: they must not block, allocate or throw, and what they raise must not either.
/// </remarks>
public interface ITelephoneEventListener
{
    /// <summary>Takes one event packet.</summary>
    /// <param name="payload">The RTP payload: one or more 4-octet event blocks (RFC 4733 §2.3).</param>
    /// <param name="ssrc">The packet's SSRC.</param>
    /// <param name="timestamp">The packet's RTP timestamp (the event's onset).</param>
    /// <param name="marker">The packet's M bit (set on the first packet of an event).</param>
    void OnTelephoneEvent(ReadOnlySpan<byte> payload, uint ssrc, uint timestamp, bool marker);
}
