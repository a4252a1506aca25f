using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Bridging;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Receiving;
using Dialtone.Engine.Rtp.Statistics;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;
using Xunit.Abstractions;

namespace Dialtone.Engine.Rtp.Tests.Allocations;

/// <summary>The hot paths allocate nothing once warm (DESIGN.md §4).</summary>
[Collection(nameof(AllocationCollection))]
public sealed class HotPathAllocationTests(ITestOutputHelper output)
{
    /// <summary>
    /// Warm-up rounds before the measured one: the runtime's tiered compilation may still allocate on
    /// the calling thread during the second pass over fresh code, never in a steady state.
    /// </summary>
    private const int Rounds = 3;

    [Fact]
    public void Writing_and_reading_an_rtp_packet_allocates_nothing()
    {
        var buffer = new byte[512];
        var payload = new byte[160];
        long checksum = 0;
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                var header = new RtpHeader(i == 0, 0, (ushort)i, (uint)(i * 160), 0x1234);
                RtpPacketWriter.TryWrite(buffer, header, payload, out int written);
                RtpPacket.TryRead(buffer.AsSpan(0, written), out RtpPacket packet);
                checksum += packet.SequenceNumber + packet.Payload.Length;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == Rounds - 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.True(checksum > 0);
    }

    [Fact]
    public void Writing_and_reading_an_rtcp_compound_allocates_nothing()
    {
        var buffer = new byte[512];
        var block = new RtcpReportBlock(1, 2, 3, 4, 5, 6, 7);
        long checksum = 0;
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                var writer = new RtcpCompoundWriter(buffer);
                writer.TryWriteSenderReport(9, new RtcpSenderInfo((ulong)i, 2, 3, 4), new ReadOnlySpan<RtcpReportBlock>(in block));
                writer.TryWriteSourceDescription(9, "0123456789abcdef"u8);
                writer.TryWriteGoodbye(9);
                RtcpCompoundReader.TryCreate(writer.WrittenSpan, out RtcpCompoundReader reader);
                while (reader.TryReadNext(out RtcpPacket packet))
                {
                    checksum += packet.ReportBlockCount > 0 ? packet.GetReportBlock(0).InterarrivalJitter : (uint)packet.Count;
                }
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == Rounds - 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.True(checksum > 0);
    }

    [Fact]
    public void The_jitter_buffer_and_receive_statistics_allocate_nothing()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions(), 160);
        var statistics = new RtpReceiveStatistics();
        var payload = new byte[160];
        var frame = new byte[160];
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                uint timestamp = (uint)(((round * 1000) + i) * 160);
                statistics.UpdateSequence(7, (ushort)((round * 1000) + i));
                statistics.UpdateJitter(timestamp, timestamp + 100);
                buffer.Write(7, timestamp, payload);
                buffer.Read(frame, 0xFF);
            }

            statistics.CreateReportBlock(0, 0);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == Rounds - 1)
            {
                Assert.Equal(0, allocated);
            }
        }
    }

    [Fact]
    public void A_warm_engine_slot_allocates_nothing_on_the_media_thread()
    {
        // Tick runs on this thread; only the ticks are measured, not the fake clock's Advance.
        using var media = new ManualMedia();
        (RtpStream a, RtpStream b) = media.OpenPair();
        (RtpStream c, RtpStream d) = media.OpenPair(AudioPayloadType.Pcma);
        using MediaBridge bridge = MediaBridge.Connect(b, c);
        var sink = new CountingSink();
        a.AddSink(sink);
        d.AddSink(sink);
        a.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromHours(1)));
        d.Play(new ToneAudioSource(600, 8000, TimeSpan.FromHours(1)));
        media.Run(400);

        long allocated = 0;
        for (int i = 0; i < 600; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            media.Engine.Tick();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            media.Time.Advance(ManualMedia.Period);
            Thread.Sleep(0);
        }

        // 12 s: audio both ways through a PCMU-PCMA bridge, sinks, and RTCP reports.
        Assert.Equal(0, allocated);
        Assert.True(a.GetStatistics().RtcpPacketsSent >= 2);
        Assert.True(sink.Energy > 0);
    }

    [Fact]
    public void The_receive_path_allocates_nothing()
    {
        using var media = new ManualMedia();
        RtpStream stream = media.Open();
        stream.SetRemote(new IPEndPoint(IPAddress.Loopback, 9), AudioPayloadType.Pcmu, telephoneEventPayloadType: 101);
        stream.AddSink(new CountingSink());
        var listener = new CountingListener();
        stream.TelephoneEventListener = listener;
        var from = new IPEndPoint(IPAddress.Loopback, 9).Serialize();
        var audio = new byte[12 + 160];
        var dtmf = new byte[12 + 4];
        for (int round = 0; round < Rounds; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                int n = (round * 1000) + i;
                RtpPacketWriter.WriteHeader(audio, new RtpHeader(false, 0, (ushort)(2 * n), (uint)(n * 160), 0xABCD));
                stream.OnRtpDatagram(audio, from, media.Time.GetTimestamp());
                RtpPacketWriter.WriteHeader(dtmf, new RtpHeader(false, 101, (ushort)((2 * n) + 1), (uint)(n * 160), 0xABCD));
                stream.OnRtpDatagram(dtmf, from, media.Time.GetTimestamp());
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == Rounds - 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.Equal(Rounds * 1000, listener.Count);
        Assert.Equal((Rounds * 2000) - 1, stream.GetStatistics().PacketsReceived);
    }

    [Theory]
    [InlineData(ReceiveMode.Polling)]
    [InlineData(ReceiveMode.Async)]
    public void A_full_send_and_receive_cycle_on_the_media_threads_allocates_nothing_once_warm(ReceiveMode mode)
    {
        // Dedicated media threads, receiving themselves (polling) or beside receive loops (async): 20
        // pairs exchanging audio, a bridge, sinks.
        using var engine = new MediaEngine(new MediaEngineOptions { MediaThreadCount = 2, FirstPort = 42000, LastPort = 43999, ReceiveMode = mode });
        var streams = new List<RtpStream>();
        var sink = new CountingSink();
        for (int i = 0; i < 20; i++)
        {
            RtpStream a = engine.CreateStream();
            RtpStream b = engine.CreateStream();
            a.Open(IPAddress.Loopback);
            b.Open(IPAddress.Loopback);
            a.SetRemote(b.LocalEndPoint!, AudioPayloadType.Pcmu);
            b.SetRemote(a.LocalEndPoint!, AudioPayloadType.Pcmu);
            a.Play(new ToneAudioSource(1000, 8000, TimeSpan.FromHours(1)));
            b.AddSink(sink);
            streams.Add(a);
            streams.Add(b);
        }

        using MediaBridge bridge = MediaBridge.Connect(streams[1], streams[3]);

        // Warm: past every stream's first RTCP report (at most 3.1 s, RFC 3550 §6.2), which is where a
        // media thread first touches its thread-local Random.
        Thread.Sleep(3500);

        // Whole-process allocation over quiet windows (nothing else runs: this collection is not parallel).
        // The test host itself allocates a little now and then (its own timers and messages), so the
        // windows are held to less than one byte per packet handled: a single allocation per packet
        // anywhere in the send or receive path would cost tens of kilobytes per window.
        long handledBefore = Handled(streams);
        var windows = new List<long>();
        var mediaThreadWindows = new List<long>();
        for (int i = 0; i < 4; i++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            long mediaThreadsBefore = engine.MediaThreadAllocatedBytes;
            Thread.Sleep(500);
            windows.Add(GC.GetTotalAllocatedBytes(precise: true) - before);
            mediaThreadWindows.Add(engine.MediaThreadAllocatedBytes - mediaThreadsBefore);
        }

        long handled = Handled(streams) - handledBefore;
        output.WriteLine($"bytes allocated per 500 ms window: {string.Join(", ", windows)}; by the media threads: {string.Join(", ", mediaThreadWindows)}; packets sent and received: {handled}");
        Assert.True(handled > 2000, $"only {handled} packets were handled");
        // The media threads themselves: nothing in some window, and never more than a few stray
        // objects in any. An allocation per packet, per slot or per report would show in every window,
        // tens of kilobytes each (about 2,000 packets per window); a window may catch one-offs of the
        // runtime on those threads (tens to a few hundred bytes, more when the machine is busy).
        Assert.Equal(0, mediaThreadWindows.Min());
        Assert.True(mediaThreadWindows.Max() < 1024, $"media threads allocated {string.Join(", ", mediaThreadWindows)} bytes per 500 ms window");
        Assert.True(windows.Min() < handled / 4, $"bytes allocated per 500 ms window: {string.Join(", ", windows)} for {handled / 4} packets");
    }

    private static long Handled(List<RtpStream> streams) =>
        streams.Sum(s => s.GetStatistics().PacketsSent + s.GetStatistics().PacketsReceived);

    private sealed class CountingListener : ITelephoneEventListener
    {
        public int Count { get; private set; }

        public void OnTelephoneEvent(ReadOnlySpan<byte> payload, uint ssrc, uint timestamp, bool marker) => Count++;
    }
}
