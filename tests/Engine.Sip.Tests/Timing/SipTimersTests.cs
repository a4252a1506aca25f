using Dialtone.Engine.Sip.Timing;

namespace Dialtone.Engine.Sip.Tests.Timing;

public sealed class SipTimersTests
{
    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void Defaults_are_the_values_of_rfc3261_table_4()
    {
        var timers = SipTimers.Default;

        Assert.Equal(Ms(500), timers.T1);
        Assert.Equal(TimeSpan.FromSeconds(4), timers.T2);
        Assert.Equal(TimeSpan.FromSeconds(5), timers.T4);
        Assert.Equal(Ms(500), timers.TimerA);
        Assert.Equal(TimeSpan.FromSeconds(32), timers.TimerB);
        Assert.Equal(Ms(500), timers.TimerE);
        Assert.Equal(TimeSpan.FromSeconds(32), timers.TimerF);
        Assert.Equal(Ms(500), timers.TimerG);
        Assert.Equal(TimeSpan.FromSeconds(32), timers.TimerH);
        Assert.Equal(TimeSpan.FromSeconds(32), timers.TimerL);
        Assert.Equal(TimeSpan.FromSeconds(32), timers.TimerM);
    }

    [Fact]
    public void Wait_timers_are_zero_on_reliable_transports()
    {
        var timers = SipTimers.Default;

        Assert.Equal(TimeSpan.FromSeconds(32), timers.TimerD(reliableTransport: false));
        Assert.Equal(TimeSpan.FromSeconds(5), timers.TimerI(reliableTransport: false));
        Assert.Equal(TimeSpan.FromSeconds(32), timers.TimerJ(reliableTransport: false));
        Assert.Equal(TimeSpan.FromSeconds(5), timers.TimerK(reliableTransport: false));
        Assert.Equal(TimeSpan.Zero, timers.TimerD(reliableTransport: true));
        Assert.Equal(TimeSpan.Zero, timers.TimerI(reliableTransport: true));
        Assert.Equal(TimeSpan.Zero, timers.TimerJ(reliableTransport: true));
        Assert.Equal(TimeSpan.Zero, timers.TimerK(reliableTransport: true));
    }

    [Fact]
    public void Derived_timers_follow_a_configured_t1()
    {
        var timers = SipTimers.Default with { T1 = Ms(250), T4 = TimeSpan.FromSeconds(2) };

        Assert.Equal(TimeSpan.FromSeconds(16), timers.TimerB);
        Assert.Equal(TimeSpan.FromSeconds(16), timers.TimerF);
        Assert.Equal(TimeSpan.FromSeconds(16), timers.TimerJ(reliableTransport: false));
        Assert.Equal(TimeSpan.FromSeconds(2), timers.TimerK(reliableTransport: false));
        Assert.Equal(Ms(500), SipTimers.Default.T1);
    }

    [Fact]
    public void Invite_is_retransmitted_on_t1_doubling_without_a_cap_until_timer_b()
    {
        var at = new List<TimeSpan>();
        foreach (var offset in SipTimers.Default.InviteRetransmits())
            at.Add(offset);

        Assert.Equal([Ms(500), Ms(1500), Ms(3500), Ms(7500), Ms(15500), Ms(31500)], at);
    }

    [Fact]
    public void Non_invite_is_retransmitted_on_t1_doubling_capped_at_t2_until_timer_f()
    {
        var at = new List<TimeSpan>();
        foreach (var offset in SipTimers.Default.NonInviteRetransmits())
            at.Add(offset);

        Assert.Equal(
            [Ms(500), Ms(1500), Ms(3500), Ms(7500), Ms(11500), Ms(15500), Ms(19500), Ms(23500), Ms(27500), Ms(31500)],
            at);
    }

    [Fact]
    public void Invite_final_response_is_retransmitted_on_t1_doubling_capped_at_t2_until_timer_h()
    {
        var intervals = new List<TimeSpan>();
        var schedule = SipTimers.Default.InviteResponseRetransmits().GetEnumerator();
        while (schedule.MoveNext())
            intervals.Add(schedule.Interval);

        Assert.Equal(
            [Ms(500), Ms(1000), Ms(2000), Ms(4000), Ms(4000), Ms(4000), Ms(4000), Ms(4000), Ms(4000), Ms(4000)],
            intervals);
    }

    [Fact]
    public void Next_interval_helpers_double_and_cap()
    {
        var timers = SipTimers.Default;

        Assert.Equal(TimeSpan.FromSeconds(16), timers.NextTimerA(TimeSpan.FromSeconds(8)));
        Assert.Equal(TimeSpan.FromSeconds(4), timers.NextTimerE(TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(4), timers.NextTimerE(TimeSpan.FromSeconds(4)));
        Assert.Equal(TimeSpan.FromSeconds(4), timers.NextTimerG(TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.MaxValue, timers.NextTimerA(TimeSpan.MaxValue));
    }

    [Fact]
    public void Default_schedule_yields_nothing()
    {
        var count = 0;
        foreach (var unused in default(RetransmitSchedule))
            count++;

        Assert.Equal(0, count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-500)]
    [InlineData(3_600_000)]
    public void Base_timers_must_be_positive_and_sane(int milliseconds)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SipTimers.Default with { T1 = Ms(milliseconds) });
        Assert.Throws<ArgumentOutOfRangeException>(() => SipTimers.Default with { T2 = Ms(milliseconds) });
        Assert.Throws<ArgumentOutOfRangeException>(() => SipTimers.Default with { T4 = Ms(milliseconds) });
    }

    [Fact]
    public void Enumerating_a_schedule_allocates_nothing()
    {
        var schedule = SipTimers.Default.NonInviteRetransmits();
        Sum(schedule);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var total = Sum(schedule);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(TimeSpan.FromMilliseconds(142_000), total);

        static TimeSpan Sum(RetransmitSchedule schedule)
        {
            var total = TimeSpan.Zero;
            foreach (var at in schedule)
                total += at;
            return total;
        }
    }
}
