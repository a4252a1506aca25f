using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Tests.TestSupport;

namespace Dialtone.Engine.Rtp.Tests.Media;

/// <summary>The pacing grid, packet by packet on a fake clock.</summary>
public sealed class MediaPacingTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void Streams_are_spread_over_threads_and_phases_and_each_sends_once_per_period()
    {
        using var media = new ManualMedia(threads: 2, phases: 4);
        using var capture = new UdpCapture();
        var streams = new List<RtpStream>();
        for (int i = 0; i < 8; i++)
        {
            RtpStream stream = media.Open();
            stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);
            streams.Add(stream);
        }

        long start = media.Time.GetTimestamp();
        long next = media.Engine.Tick();

        // Two threads of four streams each, one stream per phase: phase 0 of both threads is due now,
        // phase 1 a quarter period (5 ms) later.
        Assert.Equal(2, capture.Drain(Quiet).Count);
        Assert.Equal(start + (5 * TimeSpan.TicksPerMillisecond), next);

        var perStream = new Dictionary<uint, int>();
        for (int step = 1; step < 16; step++)
        {
            media.Time.Advance(TimeSpan.FromMilliseconds(5));
            media.Engine.Tick();
            List<byte[]> datagrams = capture.Drain(Quiet);
            Assert.Equal(2, datagrams.Count);
            foreach (byte[] datagram in datagrams)
            {
                uint ssrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(8));
                perStream[ssrc] = perStream.GetValueOrDefault(ssrc) + 1;
            }
        }

        // 80 ms = four periods: every stream sent in each (its first packet came in the drained batches).
        Assert.Equal(8, perStream.Count);
        Assert.Equal(30, perStream.Values.Sum());
    }

    [Fact]
    public void A_thread_fills_a_phase_to_the_packing_bound_before_it_opens_another_and_spreads_once_all_are_full()
    {
        using var media = new ManualMedia(threads: 1, phases: 4, streamsPerPhaseBeforeSpreading: 3);
        using var capture = new UdpCapture();
        for (int i = 0; i < 5; i++)
        {
            media.Open().SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);
        }

        long start = media.Time.GetTimestamp();
        long next = media.Engine.Tick();

        // Five streams, three to a phase: phase 0 sends three packets now, phase 1 two a quarter
        // period later, and phases 2 and 3 are empty, so the thread's next wake-up is the next period.
        Assert.Equal(3, capture.Drain(Quiet).Count);
        Assert.Equal(start + (5 * TimeSpan.TicksPerMillisecond), next);
        media.Time.Advance(TimeSpan.FromMilliseconds(5));
        next = media.Engine.Tick();
        Assert.Equal(2, capture.Drain(Quiet).Count);
        Assert.Equal(start + (20 * TimeSpan.TicksPerMillisecond), next);

        // Thirteen streams: every phase fills to three, then the thirteenth finds them all at the
        // bound and goes to the least-populated one, phase 0.
        using var busier = new ManualMedia(threads: 1, phases: 4, streamsPerPhaseBeforeSpreading: 3);
        for (int i = 0; i < 13; i++)
        {
            busier.Open().SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);
        }

        var perPhase = new List<int>();
        for (int phase = 0; phase < 4; phase++)
        {
            if (phase > 0)
            {
                busier.Time.Advance(TimeSpan.FromMilliseconds(5));
            }

            busier.Engine.Tick();
            perPhase.Add(capture.Drain(Quiet).Count);
        }

        Assert.Equal([4, 3, 3, 3], perPhase);
    }

    [Fact]
    public void Packets_carry_contiguous_sequence_numbers_and_the_rtp_clock()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);

        media.Run(10);
        var packets = Enumerable.Range(0, 10).Select(_ => capture.ReceiveRtp()).ToList();

        Assert.True(packets[0].Marker); // the first packet starts a talkspurt (RFC 3551 §4.1)
        for (int i = 0; i < packets.Count; i++)
        {
            Assert.Equal(stream.Ssrc, packets[i].Ssrc);
            Assert.Equal(0, packets[i].PayloadType);
            Assert.Equal((ushort)(packets[0].SequenceNumber + i), packets[i].SequenceNumber);
            Assert.Equal(packets[0].Timestamp + (uint)(160 * i), packets[i].Timestamp);
            Assert.Equal(i == 0, packets[i].Marker);
            Assert.Equal(Enumerable.Repeat((byte)0xFF, 160), packets[i].Payload); // µ-law silence
        }
    }

    [Fact]
    public void Ptime_of_40_ms_sends_every_other_period_with_twice_the_samples()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcma, packetTimeMilliseconds: 40);

        media.Run(6);
        List<byte[]> datagrams = capture.Drain(Quiet);

        Assert.Equal(3, datagrams.Count);
        Assert.All(datagrams, d => Assert.Equal(12 + 320, d.Length));
        uint first = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagrams[0].AsSpan(4));
        uint second = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(datagrams[1].AsSpan(4));
        Assert.Equal(320u, second - first);
    }

    [Fact]
    public void A_thread_far_behind_skips_slots_but_keeps_timestamps_true()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);

        media.Engine.Tick();
        media.Time.Advance(TimeSpan.FromMilliseconds(200));
        media.Engine.Tick();

        CapturedRtp first = capture.ReceiveRtp();
        CapturedRtp second = capture.ReceiveRtp();
        Assert.Null(capture.ReceiveDatagram(Quiet));
        Assert.Equal((ushort)(first.SequenceNumber + 1), second.SequenceNumber);
        Assert.Equal(first.Timestamp + (10 * 160), second.Timestamp); // 200 ms on the RTP clock
        Assert.Equal(9, media.Engine.GetSlotTiming().SkippedSlots);
    }

    [Fact]
    public void Slot_timing_measures_how_late_each_packet_left()
    {
        using var media = new ManualMedia();
        using var capture = new UdpCapture();
        RtpStream stream = media.Open();
        stream.SetRemote(capture.EndPoint, AudioPayloadType.Pcmu);

        media.Engine.Tick();
        media.Time.Advance(TimeSpan.FromMilliseconds(20.7));
        media.Engine.Tick();

        SlotTiming timing = media.Engine.GetSlotTiming();
        Assert.Equal(2, timing.Packets);
        Assert.Equal(TimeSpan.FromMilliseconds(0.7), timing.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(0.71), timing.P99); // the upper edge of the 700-710 µs bucket

        media.Engine.ResetSlotTiming();
        media.Time.Advance(TimeSpan.FromMilliseconds(19.3));
        media.Engine.Tick();
        Assert.Equal(1, media.Engine.GetSlotTiming().Packets);
        Assert.Equal(TimeSpan.Zero, media.Engine.GetSlotTiming().Max);
    }

    [Theory]
    [InlineData(30)]
    [InlineData(80)]
    [InlineData(0)]
    public void A_ptime_off_the_grid_is_rejected(int ptime)
    {
        using var media = new ManualMedia();
        RtpStream stream = media.Open();

        Assert.Throws<ArgumentOutOfRangeException>(() => stream.SetRemote(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 9), AudioPayloadType.Pcmu, packetTimeMilliseconds: ptime));
    }

    [Fact]
    public void Invalid_engine_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaEngine(new MediaEngineOptions { MediaThreadCount = 0, UseDedicatedThreads = false }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaEngine(new MediaEngineOptions { FramePeriod = TimeSpan.FromMilliseconds(15.5), UseDedicatedThreads = false }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MediaEngine(new MediaEngineOptions { PhasesPerPeriod = 0, UseDedicatedThreads = false }));
    }

    [Fact]
    public void Tick_is_refused_when_the_engine_runs_its_own_threads()
    {
        using var engine = new MediaEngine(new MediaEngineOptions { MediaThreadCount = 1, FirstPort = 42000, LastPort = 43999 });

        Assert.Throws<InvalidOperationException>(() => engine.Tick());
    }
}
