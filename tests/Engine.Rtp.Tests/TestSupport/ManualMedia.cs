using System.Net;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Streams;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>
/// A media engine without dedicated threads on a fake clock: the test advances time slot by slot and
/// ticks the engine itself, so every packet is made at a known instant. Sockets are real (127.0.0.1).
/// In <see cref="ReceiveMode.Polling"/> (the engine's default) a tick is also what takes arrived packets
/// off the sockets, so waiting for an arrival means ticking: <see cref="WaitUntil"/> does both.
/// </summary>
internal sealed class ManualMedia : IDisposable
{
    /// <param name="streamsPerPhaseBeforeSpreading">0 (the tests' default): one stream per phase from the first, so each test knows its stream's slot.</param>
    public ManualMedia(int threads = 1, int phases = 1, Func<MediaEngineOptions, MediaEngineOptions>? configure = null, int firstPort = 42000, int lastPort = 43999, ReceiveMode receiveMode = ReceiveMode.Polling, int streamsPerPhaseBeforeSpreading = 0)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var options = new MediaEngineOptions
        {
            UseDedicatedThreads = false,
            MediaThreadCount = threads,
            PhasesPerPeriod = phases,
            StreamsPerPhaseBeforeSpreading = streamsPerPhaseBeforeSpreading,
            FirstPort = firstPort,
            LastPort = lastPort,
            ReceiveMode = receiveMode,
        };
        Engine = new MediaEngine(configure?.Invoke(options) ?? options, Time);
    }

    public FakeTimeProvider Time { get; }

    public MediaEngine Engine { get; }

    public static TimeSpan Period => TimeSpan.FromMilliseconds(20);

    public RtpStream Open()
    {
        RtpStream stream = Engine.CreateStream();
        stream.Open(IPAddress.Loopback);
        return stream;
    }

    /// <summary>Two open streams sending to each other.</summary>
    public (RtpStream A, RtpStream B) OpenPair(AudioPayloadType a = AudioPayloadType.Pcmu, AudioPayloadType? b = null)
    {
        RtpStream first = Open();
        RtpStream second = Open();
        first.SetRemote(second.LocalEndPoint!, a);
        second.SetRemote(first.LocalEndPoint!, b ?? a);
        return (first, second);
    }

    /// <summary>Runs the slots due now.</summary>
    public void Tick() => Engine.Tick();

    /// <summary>
    /// Waits (in real time, bounded) until <paramref name="condition"/> holds, meanwhile reading whatever
    /// has arrived for the streams as their slots would in polling mode (no slot runs, no time passes).
    /// </summary>
    public void WaitUntil(Func<bool> condition, string because, int timeoutMs = 20_000) =>
        Eventually.True(
            () =>
            {
                Engine.ReceiveNow();
                return condition();
            },
            because,
            timeoutMs);

    /// <summary>Advances the clock one period at a time, ticking each time, <paramref name="periods"/> times.</summary>
    public void Run(int periods, Action? afterEachTick = null)
    {
        for (int i = 0; i < periods; i++)
        {
            Engine.Tick();
            afterEachTick?.Invoke();
            Time.Advance(Period);
        }
    }

    /// <summary>
    /// Ticks like <see cref="Run"/> and after each tick waits until every RTP and RTCP packet sent so far
    /// arrived (RTCP is received asynchronously, so without the wait the fake clock would run ahead of it).
    /// </summary>
    public void RunDelivered(int periods, params RtpStream[] streams)
    {
        // What a receiver was still missing when a wait ran out: taken as lost (UDP may drop a datagram
        // when the machine is busy), so the following ticks wait for new packets only. Without it one
        // lost datagram made every later tick wait its whole bound, and a run of hundreds of ticks
        // took many minutes.
        var lostRtp = new Dictionary<RtpStream, long>();
        var lostRtcp = new Dictionary<RtpStream, long>();
        Run(periods, () =>
        {
            foreach (RtpStream stream in streams)
            {
                RtpStreamStatistics sender = stream.GetStatistics();
                RtpStream? receiver = streams.FirstOrDefault(s => s != stream && Equals(s.LocalEndPoint, stream.RemoteEndPoint));
                if (receiver is not null && sender.PacketsSent > 1)
                {
                    // The receiver counts all but the first packet (RFC 3550 §A.1 probation). Bounded,
                    // and not an assertion: the tests' own assertions judge what arrived (loss,
                    // reports, round-trip time).
                    long rtpDue = sender.PacketsSent - 1 - lostRtp.GetValueOrDefault(receiver);
                    long rtcpDue = sender.RtcpPacketsSent - lostRtcp.GetValueOrDefault(receiver);
                    RtpStreamStatistics heard = receiver.GetStatistics();
                    bool arrived = SpinWait.SpinUntil(
                        () =>
                        {
                            Engine.ReceiveNow();
                            heard = receiver.GetStatistics();
                            return heard.PacketsReceived >= rtpDue && heard.RtcpPacketsReceived >= rtcpDue;
                        },
                        TimeSpan.FromSeconds(2));
                    if (!arrived)
                    {
                        lostRtp[receiver] = lostRtp.GetValueOrDefault(receiver) + Math.Max(0, rtpDue - heard.PacketsReceived);
                        lostRtcp[receiver] = lostRtcp.GetValueOrDefault(receiver) + Math.Max(0, rtcpDue - heard.RtcpPacketsReceived);
                    }
                }
            }
        });
    }

    public void Dispose() => Engine.Dispose();
}
