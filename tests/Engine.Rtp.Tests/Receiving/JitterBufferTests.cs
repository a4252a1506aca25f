using Dialtone.Engine.Rtp.Receiving;

namespace Dialtone.Engine.Rtp.Tests.Receiving;

public sealed class JitterBufferTests
{
    private const int Frame = 160;
    private const byte Silence = 0xFF;
    private const uint Ssrc = 42;

    private static JitterBuffer Create(int delayMs = 40, int maxMs = 200, bool adaptive = false) =>
        new(new JitterBufferOptions { Delay = TimeSpan.FromMilliseconds(delayMs), MaximumDelay = TimeSpan.FromMilliseconds(maxMs), Adaptive = adaptive }, Frame);

    private static byte[] Payload(byte value, int length = Frame) => Enumerable.Repeat(value, length).ToArray();

    private static byte[] ReadFrame(JitterBuffer buffer, out int fromPackets)
    {
        var frame = new byte[Frame];
        fromPackets = buffer.Read(frame, Silence);
        return frame;
    }

    [Fact]
    public void Makes_its_ring_only_when_the_first_packet_is_written()
    {
        JitterBuffer buffer = Create();

        Assert.Equal(Enumerable.Repeat(Silence, Frame), ReadFrame(buffer, out int before));
        buffer.Reset();
        Assert.False(buffer.HasStorage);
        Assert.Equal(0, before);

        buffer.Write(Ssrc, 1000, Payload(1));
        Assert.True(buffer.HasStorage);
    }

    [Fact]
    public void Plays_out_reordered_packets_in_timestamp_order()
    {
        JitterBuffer buffer = Create();
        buffer.Write(Ssrc, 1000, Payload(1));
        buffer.Write(Ssrc, 1320, Payload(3));
        buffer.Write(Ssrc, 1160, Payload(2));

        Assert.Equal(Payload(1), ReadFrame(buffer, out _));
        Assert.Equal(Payload(2), ReadFrame(buffer, out _));
        Assert.Equal(Payload(3), ReadFrame(buffer, out _));
    }

    [Fact]
    public void Waits_for_the_target_delay_before_playing()
    {
        JitterBuffer buffer = Create(delayMs: 40);
        buffer.Write(Ssrc, 0, Payload(1));

        Assert.Equal(Payload(Silence), ReadFrame(buffer, out int early));
        Assert.Equal(0, early);

        buffer.Write(Ssrc, 160, Payload(2));
        Assert.Equal(Payload(1), ReadFrame(buffer, out int played));
        Assert.Equal(Frame, played);
    }

    [Fact]
    public void Conceals_a_lost_packet_with_silence()
    {
        JitterBuffer buffer = Create();
        buffer.Write(Ssrc, 0, Payload(1));
        buffer.Write(Ssrc, 160, Payload(2));
        buffer.Write(Ssrc, 480, Payload(4));
        buffer.Write(Ssrc, 640, Payload(5));

        ReadFrame(buffer, out _);
        ReadFrame(buffer, out _);
        Assert.Equal(Payload(Silence), ReadFrame(buffer, out int concealedFrame));
        Assert.Equal(0, concealedFrame);
        Assert.Equal(Payload(4), ReadFrame(buffer, out _));
        Assert.Equal(Frame, buffer.ConcealedSamples);
    }

    [Fact]
    public void A_packet_that_arrives_after_its_playout_time_is_dropped()
    {
        JitterBuffer buffer = Create();
        buffer.Write(Ssrc, 0, Payload(1));
        buffer.Write(Ssrc, 320, Payload(3));
        ReadFrame(buffer, out _);
        ReadFrame(buffer, out _);

        buffer.Write(Ssrc, 160, Payload(2));

        Assert.Equal(1, buffer.LatePackets);
        Assert.Equal(Payload(3), ReadFrame(buffer, out _));
    }

    [Fact]
    public void Timestamps_that_wrap_play_in_order()
    {
        JitterBuffer buffer = Create();
        buffer.Write(Ssrc, uint.MaxValue - 159, Payload(1));
        buffer.Write(Ssrc, 0, Payload(2));
        buffer.Write(Ssrc, 160, Payload(3));

        Assert.Equal(Payload(1), ReadFrame(buffer, out _));
        Assert.Equal(Payload(2), ReadFrame(buffer, out _));
        Assert.Equal(Payload(3), ReadFrame(buffer, out _));
    }

    [Fact]
    public void A_new_ssrc_discards_the_old_source_and_primes_again()
    {
        JitterBuffer buffer = Create();
        buffer.Write(Ssrc, 0, Payload(1));
        buffer.Write(Ssrc, 160, Payload(2));
        buffer.Write(Ssrc, 320, Payload(3));
        ReadFrame(buffer, out _);

        buffer.Write(Ssrc + 1, 90000, Payload(7));
        Assert.Equal(Payload(Silence), ReadFrame(buffer, out _));
        buffer.Write(Ssrc + 1, 90160, Payload(8));

        Assert.Equal(Payload(7), ReadFrame(buffer, out _));
        Assert.Equal(Payload(8), ReadFrame(buffer, out _));
    }

    [Fact]
    public void After_running_dry_the_next_talkspurt_plays_without_the_pause_as_delay()
    {
        JitterBuffer buffer = Create();
        buffer.Write(Ssrc, 0, Payload(1));
        buffer.Write(Ssrc, 160, Payload(2));
        ReadFrame(buffer, out _);
        ReadFrame(buffer, out _);
        ReadFrame(buffer, out _); // dry: an underrun
        Assert.Equal(1, buffer.Underruns);

        // The sender resumes 2 s later (a DTMF event, hold, silence suppression).
        buffer.Write(Ssrc, 16000, Payload(5));
        buffer.Write(Ssrc, 16160, Payload(6));

        Assert.Equal(Payload(5), ReadFrame(buffer, out _));
    }

    [Fact]
    public void A_backlog_beyond_the_maximum_is_cut_back_to_the_target()
    {
        JitterBuffer buffer = Create(delayMs: 40, maxMs: 100);
        for (int i = 0; i < 20; i++)
        {
            buffer.Write(Ssrc, (uint)(i * Frame), Payload((byte)i));
        }

        // 400 ms were buffered; the first read skips to 40 ms before the newest audio.
        byte[] frame = ReadFrame(buffer, out _);

        Assert.Equal(Payload(17), frame);
        Assert.True(buffer.DroppedSamples > 0);
        Assert.Equal(2 * Frame, buffer.BufferedSamples);
    }

    [Fact]
    public void Adaptive_mode_sets_its_target_from_the_jitter()
    {
        JitterBuffer buffer = Create(delayMs: 40, maxMs: 200, adaptive: true);

        buffer.AdaptTo(jitterSamples: 200, frameSamples: Frame);
        Assert.Equal((3 * 200) + Frame, buffer.TargetDepth);

        buffer.AdaptTo(jitterSamples: 0, frameSamples: Frame);
        Assert.Equal(320, buffer.TargetDepth); // never below the configured delay

        buffer.AdaptTo(jitterSamples: 10_000, frameSamples: Frame);
        Assert.Equal(1600, buffer.TargetDepth); // never above the maximum
    }

    [Fact]
    public void Fixed_mode_ignores_the_jitter()
    {
        JitterBuffer buffer = Create(delayMs: 60);

        buffer.AdaptTo(jitterSamples: 500, frameSamples: Frame);

        Assert.Equal(480, buffer.TargetDepth);
    }

    [Fact]
    public void A_packet_straddling_the_playout_point_keeps_its_unplayed_part()
    {
        JitterBuffer buffer = Create(delayMs: 20);
        buffer.Write(Ssrc, 0, Payload(1));
        buffer.Write(Ssrc, 160, Payload(2));
        ReadFrame(buffer, out _);

        // 80 samples of this one are already past.
        buffer.Write(Ssrc, 80, Payload(9));

        Assert.Equal(Enumerable.Repeat((byte)9, 80).Concat(Enumerable.Repeat((byte)2, 80)).ToArray(), ReadFrame(buffer, out _));
    }

    [Fact]
    public void A_payload_larger_than_the_ring_keeps_its_newest_part()
    {
        JitterBuffer buffer = Create(delayMs: 20);
        byte[] huge = Enumerable.Range(0, 10_000).Select(i => (byte)(i / 1000)).ToArray();

        buffer.Write(Ssrc, 0, huge);

        Assert.True(buffer.BufferedSamples <= 10_000);
        byte[] frame = ReadFrame(buffer, out int played);
        Assert.Equal(Frame, played);
        Assert.All(frame, b => Assert.Equal(9, b)); // the newest audio, once the backlog is skipped
    }

    [Fact]
    public void Packets_wrapping_around_the_end_of_the_ring_play_whole()
    {
        JitterBuffer buffer = Create();
        uint start = 4096 - 100; // the ring holds 4096 samples: this packet straddles its end
        for (int i = 0; i < 5; i++)
        {
            buffer.Write(Ssrc, start + (uint)(i * Frame), Payload((byte)(i + 1)));
        }

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(Payload((byte)(i + 1)), ReadFrame(buffer, out int played));
            Assert.Equal(Frame, played);
        }
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(delayMs: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Create(delayMs: 100, maxMs: 50));
    }
}
