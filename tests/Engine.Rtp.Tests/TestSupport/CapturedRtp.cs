namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>An RTP packet as a capture socket received it.</summary>
internal sealed record CapturedRtp(bool Marker, byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc, byte[] Payload);
