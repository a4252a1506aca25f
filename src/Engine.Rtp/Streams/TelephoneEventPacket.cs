namespace Dialtone.Engine.Rtp.Streams;

/// <summary>What an <see cref="ITelephoneEventSource"/> wants sent in a slot, besides the payload it wrote.</summary>
/// <param name="Timestamp">The event's RTP timestamp: its onset, the same for all its packets (RFC 4733 §2.5.1.2).</param>
/// <param name="Marker">True on the first packet of an event (RFC 4733 §2.5.1.2).</param>
/// <param name="PayloadLength">Octets of payload written (a multiple of 4, RFC 4733 §2.3).</param>
public readonly record struct TelephoneEventPacket(uint Timestamp, bool Marker, int PayloadLength);
