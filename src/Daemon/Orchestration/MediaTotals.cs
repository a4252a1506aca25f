using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Daemon.Orchestration;

/// <summary>RTP counts over every leg that has ended, for /metrics (a leg adds its statistics when its stream closes).</summary>
public sealed class MediaTotals
{
    private long _packetsSent;
    private long _packetsReceived;
    private long _packetsLost;
    private long _packetsExpected;

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    public long PacketsLost => Interlocked.Read(ref _packetsLost);

    public long PacketsExpected => Interlocked.Read(ref _packetsExpected);

    public void Add(in RtpStreamStatistics statistics)
    {
        Interlocked.Add(ref _packetsSent, statistics.PacketsSent);
        Interlocked.Add(ref _packetsReceived, statistics.PacketsReceived);
        Interlocked.Add(ref _packetsLost, Math.Max(0, statistics.PacketsLost));
        Interlocked.Add(ref _packetsExpected, statistics.PacketsExpected);
    }
}
