using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Rtp.Media;

/// <summary>
/// The working buffers of a slot, one set per media thread rather than per stream: a packet is built,
/// encoded and sent, and received audio decoded for sinks, within the slot, so nothing in them outlives
/// it. Shared by every stream of the thread they stay in the processor's cache, where per-stream
/// buffers (thousands of them, each touched once a period) would miss it at every slot.
/// </summary>
internal sealed class SlotScratch
{
    /// <summary>An outgoing RTP packet: header and up to 60 ms of G.711.</summary>
    public byte[] Packet { get; } = new byte[512];

    public short[] SentPcm { get; } = new short[RtpStreamResources.MaxSamplesPerPacket];

    public short[] ReceivedPcm { get; } = new short[RtpStreamResources.MaxSamplesPerPacket];

    public byte[] ReceivedPayload { get; } = new byte[RtpStreamResources.MaxSamplesPerPacket];
}
