using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Statistics;

namespace Dialtone.Engine.Rtp.Tests.Statistics;

/// <summary>Expected values are worked out by hand from RFC 3550 §A.1, §A.3 and §A.8.</summary>
public sealed class RtpReceiveStatisticsTests
{
    private const uint Ssrc = 0x1234;

    [Fact]
    public void A_new_source_is_on_probation_until_two_packets_arrive_in_sequence()
    {
        var statistics = new RtpReceiveStatistics();

        Assert.False(statistics.UpdateSequence(Ssrc, 100));
        Assert.Equal(0u, statistics.Expected);
        Assert.True(statistics.UpdateSequence(Ssrc, 101));

        // The first packet only proved the source; counting starts at the second (base = 101).
        Assert.Equal(1u, statistics.Received);
        Assert.Equal(1u, statistics.Expected);
    }

    [Fact]
    public void Counts_a_loss_and_tolerates_reordering()
    {
        var statistics = new RtpReceiveStatistics();

        // 104 never arrives; 106 arrives after 107.
        foreach (ushort sequence in new ushort[] { 100, 101, 102, 103, 105, 107, 106, 108, 109 })
        {
            statistics.UpdateSequence(Ssrc, sequence);
        }

        // base 101 .. max 109: 9 expected, 8 received (101-103, 105-109), 1 lost.
        Assert.Equal(109u, statistics.ExtendedHighestSequence);
        Assert.Equal(9u, statistics.Expected);
        Assert.Equal(8u, statistics.Received);
        Assert.Equal(1, statistics.CumulativeLost);
    }

    [Fact]
    public void Report_blocks_give_the_fraction_lost_per_interval()
    {
        var statistics = new RtpReceiveStatistics();
        foreach (ushort sequence in new ushort[] { 100, 101, 102, 103, 105, 107, 106, 108, 109 })
        {
            statistics.UpdateSequence(Ssrc, sequence);
        }

        RtcpReportBlock first = statistics.CreateReportBlock(0, 0);

        // Interval 1: 9 expected, 8 received: (1 << 8) / 9 = 28.
        Assert.Equal(28, first.FractionLost);
        Assert.Equal(1, first.CumulativeLost);

        // Interval 2: 110-119 with 112 and 113 lost: 10 expected, 8 received: (2 << 8) / 10 = 51.
        for (ushort sequence = 110; sequence <= 119; sequence++)
        {
            if (sequence is not (112 or 113))
            {
                statistics.UpdateSequence(Ssrc, sequence);
            }
        }

        RtcpReportBlock second = statistics.CreateReportBlock(0xAABBCCDD, 0x10);
        Assert.Equal(51, second.FractionLost);
        Assert.Equal(3, second.CumulativeLost);
        Assert.Equal(119u, second.ExtendedHighestSequence);
        Assert.Equal(Ssrc, second.Ssrc);
        Assert.Equal(0xAABBCCDDu, second.LastSenderReport);
        Assert.Equal(0x10u, second.DelaySinceLastSenderReport);

        // Interval 3: nothing new: nothing expected, fraction 0, cumulative unchanged.
        RtcpReportBlock third = statistics.CreateReportBlock(0, 0);
        Assert.Equal(0, third.FractionLost);
        Assert.Equal(3, third.CumulativeLost);
    }

    [Fact]
    public void Sequence_wrap_adds_a_cycle_to_the_extended_number()
    {
        var statistics = new RtpReceiveStatistics();
        foreach (ushort sequence in new ushort[] { 65533, 65534, 65535, 0, 1 })
        {
            statistics.UpdateSequence(Ssrc, sequence);
        }

        // Cycles 1 << 16, max 1: extended 65537; base 65534, so 4 expected and 4 received.
        Assert.Equal(65537u, statistics.ExtendedHighestSequence);
        Assert.Equal(4u, statistics.Expected);
        Assert.Equal(4u, statistics.Received);
        Assert.Equal(0, statistics.CumulativeLost);
    }

    [Fact]
    public void A_single_stray_far_ahead_is_ignored()
    {
        var statistics = new RtpReceiveStatistics();
        foreach (ushort sequence in new ushort[] { 1000, 1001, 1002, 30000, 1003 })
        {
            statistics.UpdateSequence(Ssrc, sequence);
        }

        Assert.Equal(1003u, statistics.ExtendedHighestSequence);
        Assert.Equal(3u, statistics.Received);
        Assert.Equal(0, statistics.CumulativeLost);
        Assert.Equal(2u, statistics.Discarded); // the probation packet and the stray
    }

    [Fact]
    public void Two_sequential_packets_after_a_big_jump_mean_the_sender_restarted()
    {
        var statistics = new RtpReceiveStatistics();
        statistics.UpdateSequence(Ssrc, 1000);
        statistics.UpdateSequence(Ssrc, 1001);

        Assert.False(statistics.UpdateSequence(Ssrc, 20000));
        Assert.True(statistics.UpdateSequence(Ssrc, 20001));

        // Resynchronised on 20001: a fresh count from there.
        Assert.Equal(20001u, statistics.ExtendedHighestSequence);
        Assert.Equal(1u, statistics.Expected);
        Assert.Equal(1u, statistics.Received);
    }

    [Fact]
    public void Duplicates_are_counted_so_loss_can_go_negative()
    {
        var statistics = new RtpReceiveStatistics();
        foreach (ushort sequence in new ushort[] { 10, 11, 12, 12 })
        {
            statistics.UpdateSequence(Ssrc, sequence);
        }

        Assert.Equal(2u, statistics.Expected);
        Assert.Equal(3u, statistics.Received);
        Assert.Equal(-1, statistics.CumulativeLost);
    }

    [Fact]
    public void A_new_ssrc_starts_the_statistics_over()
    {
        var statistics = new RtpReceiveStatistics();
        statistics.UpdateSequence(Ssrc, 10);
        statistics.UpdateSequence(Ssrc, 11);
        statistics.UpdateSequence(Ssrc, 12);

        statistics.UpdateSequence(0x9999, 500);

        Assert.Equal(0x9999u, statistics.Ssrc);
        Assert.Equal(0u, statistics.Received);
        Assert.Equal(0u, statistics.Expected);
    }

    [Fact]
    public void Jitter_follows_the_integer_estimator_on_a_known_arrival_pattern()
    {
        var statistics = new RtpReceiveStatistics();

        // 20 ms packets (160 units); arrivals in the same units, late by 0, 40, 0, 80, 0.
        uint[] timestamps = [0, 160, 320, 480, 640];
        uint[] arrivals = [1000, 1200, 1320, 1560, 1640];

        // Transit: 1000, 1040, 1000, 1080, 1000. |D|: -, 40, 40, 80, 80.
        // J*16: 40 - 0 = 40; 40 + 40 - 3 = 77; 77 + 80 - 5 = 152; 152 + 80 - 10 = 222.
        uint[] expected = [0, 40 >> 4, 77 >> 4, 152 >> 4, 222 >> 4];
        for (int i = 0; i < timestamps.Length; i++)
        {
            statistics.UpdateJitter(timestamps[i], arrivals[i]);
            Assert.Equal(expected[i], statistics.Jitter);
        }
    }

    [Fact]
    public void Jitter_is_unaffected_by_a_constant_delay_and_by_timestamp_wrap()
    {
        var statistics = new RtpReceiveStatistics();
        uint timestamp = uint.MaxValue - 400;
        for (int i = 0; i < 10; i++)
        {
            statistics.UpdateJitter(timestamp, timestamp + 777);
            timestamp += 160;
        }

        Assert.Equal(0u, statistics.Jitter);
    }
}
