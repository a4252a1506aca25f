namespace Dialtone.Engine.Rtp.Packets;

/// <summary>
/// The fields of an RTP fixed header that a sender chooses (RFC 3550 §5.1). Version is always 2;
/// padding, extension and CSRCs are not used by this engine's senders.
/// </summary>
/// <param name="Marker">For audio, set on the first packet of a talkspurt (RFC 3551 §4.1).</param>
/// <param name="PayloadType">0..127.</param>
/// <param name="SequenceNumber">Increments by one per packet sent.</param>
/// <param name="Timestamp">Sampling instant of the first octet of the payload, in the payload's clock.</param>
/// <param name="Ssrc">The synchronization source of the stream.</param>
public readonly record struct RtpHeader(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc);
