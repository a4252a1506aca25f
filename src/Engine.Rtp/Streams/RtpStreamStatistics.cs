namespace Dialtone.Engine.Rtp.Streams;

/// <summary>A snapshot of one stream's counters (RFC 3550 §6.4) and its playout buffer.</summary>
public readonly record struct RtpStreamStatistics
{
    /// <summary>RTP packets sent (audio and events).</summary>
    public long PacketsSent { get; init; }

    /// <summary>Payload octets sent.</summary>
    public long OctetsSent { get; init; }

    /// <summary>RTP and RTCP packets that failed to leave (socket errors).</summary>
    public long SendErrors { get; init; }

    /// <summary>The SSRC of the remote source being received, 0 before any packet.</summary>
    public uint RemoteSsrc { get; init; }

    /// <summary>Valid RTP packets received from the current remote source (RFC 3550 §A.1).</summary>
    public long PacketsReceived { get; init; }

    /// <summary>Packets expected from the sequence numbers seen (§A.3).</summary>
    public long PacketsExpected { get; init; }

    /// <summary>Cumulative packets lost (§A.3); negative when duplicates outnumber losses.</summary>
    public long PacketsLost { get; init; }

    /// <summary>Interarrival jitter of the received stream (§A.8).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Datagrams on the RTP or RTCP port that were not valid packets.</summary>
    public long MalformedPackets { get; init; }

    /// <summary>Round-trip time from the latest report block about us (§6.4.1); null until one arrives.</summary>
    public TimeSpan? RoundTripTime { get; init; }

    /// <summary>The remote's latest report on our stream: fraction lost (0..1).</summary>
    public double RemoteFractionLost { get; init; }

    /// <summary>The remote's latest report on our stream: cumulative packets lost.</summary>
    public long RemotePacketsLost { get; init; }

    /// <summary>The remote's latest report on our stream: interarrival jitter.</summary>
    public TimeSpan RemoteJitter { get; init; }

    /// <summary>RTCP compound packets sent.</summary>
    public long RtcpPacketsSent { get; init; }

    /// <summary>RTCP compound packets received and accepted.</summary>
    public long RtcpPacketsReceived { get; init; }

    /// <summary>True once the remote sent an RTCP BYE for its source.</summary>
    public bool RemoteGoodbye { get; init; }

    /// <summary>Received audio samples played as silence because their packet was missing or late.</summary>
    public long ConcealedSamples { get; init; }

    /// <summary>Time since the last valid RTP packet arrived; null if none has.</summary>
    public TimeSpan? TimeSinceLastPacket { get; init; }
}
