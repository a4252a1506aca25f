using Dialtone.Engine.Rtp.Statistics;

namespace Dialtone.Engine.Rtp.Tests.Statistics;

public sealed class RoundTripTimeTests
{
    [Fact]
    public void Matches_the_worked_example_of_rfc_3550_section_6_4_1()
    {
        // A = 0xb710:8000 (46864.500 s), LSR = 0xb705:2000 (46853.125 s), DLSR = 0x0005:4000 (5.250 s).
        Assert.True(RoundTripTime.TryCompute(0xB7108000, 0xB7052000, 0x00054000, out TimeSpan rtt));

        Assert.Equal(TimeSpan.FromSeconds(6.125), rtt);
    }

    [Fact]
    public void No_estimate_before_the_remote_has_a_sender_report()
    {
        Assert.False(RoundTripTime.TryCompute(0xB7108000, 0, 0, out _));
    }

    [Fact]
    public void An_impossible_negative_result_gives_no_estimate()
    {
        Assert.False(RoundTripTime.TryCompute(0x00010000, 0x00010000, 0x00000100, out _));
    }

    [Fact]
    public void Works_across_the_wrap_of_the_compact_clock()
    {
        // LSR just before the 16.16 clock wraps, A just after it: 0.75 s later, no delay at the remote.
        Assert.True(RoundTripTime.TryCompute(0x00004000, 0xFFFF8000, 0, out TimeSpan rtt));

        Assert.Equal(TimeSpan.FromSeconds(0.75), rtt);
    }
}
