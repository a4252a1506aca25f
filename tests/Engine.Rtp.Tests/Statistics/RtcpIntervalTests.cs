using Dialtone.Engine.Rtp.Statistics;

namespace Dialtone.Engine.Rtp.Tests.Statistics;

/// <summary>Expected intervals computed by hand from RFC 3550 §6.3.1 and §A.7.</summary>
public sealed class RtcpIntervalTests
{
    private const double Precision = 1e-3;

    [Fact]
    public void A_two_party_call_uses_the_five_second_minimum_compensated()
    {
        // 100 octets * 2 members / 500 octets/s = 0.4 s, below the 5 s minimum; a random factor of 1.0
        // and the e - 3/2 compensation give 5 / 1.21828 = 4.1042 s.
        TimeSpan interval = RtcpInterval.Compute(members: 2, senders: 2, rtcpBandwidth: 500, weSent: true, averageRtcpSize: 100, initial: false, random: 0.5);

        Assert.Equal(4.1042, interval.TotalSeconds, Precision);
    }

    [Fact]
    public void The_first_report_uses_half_the_minimum()
    {
        TimeSpan interval = RtcpInterval.Compute(2, 2, 500, true, 100, initial: true, random: 0.5);

        Assert.Equal(2.5 / 1.21828, interval.TotalSeconds, Precision);
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(0.999999, 1.5)]
    public void The_random_factor_spans_half_to_one_and_a_half(double random, double factor)
    {
        TimeSpan interval = RtcpInterval.Compute(2, 2, 500, true, 100, false, random);

        Assert.Equal(5 * factor / (Math.E - 1.5), interval.TotalSeconds, Precision);
    }

    [Fact]
    public void Few_senders_share_a_quarter_of_the_bandwidth()
    {
        // 10 senders of 1000 members (≤ 25 %): a sender's interval uses 125 octets/s over 10 senders:
        // 100 * 10 / 125 = 8 s -> 8 / 1.21828 = 6.5666 s.
        TimeSpan sender = RtcpInterval.Compute(1000, 10, 500, weSent: true, averageRtcpSize: 100, initial: false, random: 0.5);

        // A receiver's uses 375 octets/s over 990 receivers: 264 s -> 216.70 s.
        TimeSpan receiver = RtcpInterval.Compute(1000, 10, 500, weSent: false, averageRtcpSize: 100, initial: false, random: 0.5);

        Assert.Equal(6.5666, sender.TotalSeconds, Precision);
        Assert.Equal(216.70, receiver.TotalSeconds, 0.01);
    }

    [Fact]
    public void The_average_size_moves_a_sixteenth_towards_each_packet()
    {
        Assert.Equal(100 + ((260 - 100) / 16.0), RtcpInterval.UpdateAverageSize(100, 260), Precision);
    }

    [Fact]
    public void Nonsense_inputs_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RtcpInterval.Compute(0, 0, 500, true, 100, false, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtcpInterval.Compute(2, 1, 0, true, 100, false, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => RtcpInterval.Compute(2, 1, 500, true, 0, false, 0.5));
    }
}
