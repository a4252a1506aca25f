using Dialtone.Engine.Sip.Timing;

namespace Dialtone.Engine.Sip.Tests.Timing;

public sealed class TimingWheelTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan OneMs = TimeSpan.FromMilliseconds(1);

    [Theory]
    [InlineData(0, 500)]
    [InlineData(0, 25)]
    [InlineData(3, 25)]
    [InlineData(7, 10)]
    [InlineData(9, 1)]
    [InlineData(10, 0)]
    [InlineData(4, 32_000)]
    public void Fires_no_earlier_than_the_delay_and_at_most_one_tick_late(int startMs, int delayMs)
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);
        clock.Advance(TimeSpan.FromMilliseconds(startMs));
        var scheduledAt = clock.Elapsed;
        var delay = TimeSpan.FromMilliseconds(delayMs);

        wheel.Schedule(target, 7, delay);
        while (target.Fired.Count == 0 && clock.Elapsed < scheduledAt + delay + Tick + Tick)
            clock.Advance(OneMs);

        var fired = Assert.Single(target.Fired);
        Assert.Equal(7, fired.Kind);
        Assert.True(fired.At >= scheduledAt + delay, $"fired early at {fired.At} (due {scheduledAt + delay})");
        Assert.True(fired.At <= scheduledAt + delay + Tick, $"fired more than a tick late at {fired.At} (due {scheduledAt + delay})");
    }

    [Fact]
    public void Fires_exactly_on_time_when_the_delay_is_a_whole_number_of_ticks()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);

        wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(500));
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Empty(target.Fired);

        clock.Advance(OneMs);
        Assert.Equal(TimeSpan.FromMilliseconds(500), Assert.Single(target.Fired).At);
    }

    [Fact]
    public void Cancelled_timer_never_fires_and_a_second_cancel_reports_false()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);

        var handle = wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(100));
        Assert.True(wheel.IsPending(handle));
        Assert.True(wheel.Cancel(handle));
        Assert.False(wheel.Cancel(handle));
        Assert.False(wheel.IsPending(handle));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(target.Fired);
        Assert.Equal(0, wheel.PendingCount);
    }

    [Fact]
    public void Cancel_of_a_fired_timer_reports_false()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);

        var handle = wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(20));
        clock.Advance(TimeSpan.FromMilliseconds(20));

        Assert.Single(target.Fired);
        Assert.False(wheel.Cancel(handle));
    }

    [Fact]
    public void Default_handle_cancels_and_reschedules_nothing()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);

        Assert.False(default(TimerHandle).IsAllocated);
        Assert.False(wheel.Cancel(default));
        Assert.False(wheel.Reschedule(default, TimeSpan.FromSeconds(1)));
        Assert.False(wheel.IsPending(default));
    }

    [Fact]
    public void Reschedule_moves_a_pending_timer_later_and_earlier_keeping_its_handle()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);

        var later = wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(100));
        var earlier = wheel.Schedule(target, 2, TimeSpan.FromSeconds(10));
        Assert.True(wheel.Reschedule(later, TimeSpan.FromMilliseconds(300)));
        Assert.True(wheel.Reschedule(earlier, TimeSpan.FromMilliseconds(50)));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(
            [new FiredTimer(2, TimeSpan.FromMilliseconds(50), earlier), new FiredTimer(1, TimeSpan.FromMilliseconds(300), later)],
            target.Fired);
        Assert.False(wheel.Reschedule(later, TimeSpan.FromMilliseconds(10)));
    }

    [Fact]
    public void Many_timers_in_the_same_slot_all_fire_on_that_tick()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, slotCount: 64, initialCapacity: 4);
        var target = new CountingTimerTarget(1000);

        for (int i = 0; i < 1000; i++)
            wheel.Schedule(target, i, TimeSpan.FromMilliseconds(200));
        clock.Advance(TimeSpan.FromMilliseconds(190));
        Assert.Equal(0, target.Total);

        clock.Advance(Tick);
        Assert.Equal(1000, target.Total);
        for (int i = 0; i < 1000; i++)
            Assert.Equal(1, target.CountOf(i));
        Assert.Equal(0, wheel.PendingCount);
    }

    [Fact]
    public void Timer_one_turn_later_in_the_same_slot_waits_for_its_own_turn()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, slotCount: 64);
        var target = new RecordingTimerTarget(clock);
        var turn = Tick * 64;

        wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(30));
        wheel.Schedule(target, 2, TimeSpan.FromMilliseconds(30) + turn);
        wheel.Schedule(target, 3, TimeSpan.FromMilliseconds(30) + 5 * turn);
        clock.Advance(TimeSpan.FromMilliseconds(30) + 6 * turn);

        Assert.Equal(
            [(1, TimeSpan.FromMilliseconds(30)), (2, TimeSpan.FromMilliseconds(30) + turn), (3, TimeSpan.FromMilliseconds(30) + 5 * turn)],
            target.Fired.Select(f => (f.Kind, f.At)));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(90)]
    [InlineData(1800)]
    public void Long_delays_fire_after_many_turns_of_the_wheel(int seconds)
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);
        var delay = TimeSpan.FromSeconds(seconds);

        wheel.Schedule(target, 1, delay);
        clock.Advance(delay - OneMs);
        Assert.Empty(target.Fired);

        clock.Advance(OneMs);
        Assert.Equal(delay, Assert.Single(target.Fired).At);
    }

    [Fact]
    public void Zero_delay_fires_on_the_next_tick()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);
        clock.Advance(TimeSpan.FromMilliseconds(20));

        wheel.Schedule(target, 1, TimeSpan.Zero);
        clock.Advance(Tick);

        Assert.Equal(TimeSpan.FromMilliseconds(30), Assert.Single(target.Fired).At);
    }

    [Fact]
    public void Timer_scheduled_from_a_callback_fires_later_not_in_the_same_round()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);
        var interval = TimeSpan.FromMilliseconds(500);
        // A Timer A: each expiry retransmits and schedules the next with the interval doubled.
        target.OnFire = (kind, _) =>
        {
            if (kind < 4)
            {
                interval *= 2;
                wheel.Schedule(target, kind + 1, kind == 2 ? TimeSpan.Zero : interval);
            }
        };

        wheel.Schedule(target, 1, interval);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(
            [(1, TimeSpan.FromMilliseconds(500)), (2, TimeSpan.FromMilliseconds(1500)), (3, TimeSpan.FromMilliseconds(1510)), (4, TimeSpan.FromMilliseconds(5510))],
            target.Fired.Select(f => (f.Kind, f.At)));
    }

    [Fact]
    public void Callback_may_cancel_another_timer_due_later()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);
        var timeout = wheel.Schedule(target, 2, TimeSpan.FromSeconds(32));
        target.OnFire = (kind, _) =>
        {
            if (kind == 1)
                Assert.True(wheel.Cancel(timeout));
        };

        wheel.Schedule(target, 1, TimeSpan.FromSeconds(1));
        clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal([1], target.Fired.Select(f => f.Kind));
    }

    [Fact]
    public void Stale_handle_cannot_cancel_the_timer_that_reuses_its_node()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, initialCapacity: 1);
        var target = new RecordingTimerTarget(clock);

        var first = wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(10));
        clock.Advance(Tick);
        var second = wheel.Schedule(target, 2, TimeSpan.FromMilliseconds(10));
        Assert.NotEqual(first, second);

        Assert.False(wheel.Cancel(first));
        Assert.False(wheel.Reschedule(first, TimeSpan.FromSeconds(5)));
        clock.Advance(Tick);

        Assert.Equal([1, 2], target.Fired.Select(f => f.Kind));
        Assert.Equal(second, target.Fired[1].Handle);
    }

    [Fact]
    public void Stale_handle_of_a_cancelled_timer_cannot_cancel_the_next_one()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, initialCapacity: 1);
        var target = new RecordingTimerTarget(clock);

        var first = wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(50));
        Assert.True(wheel.Cancel(first));
        wheel.Schedule(target, 2, TimeSpan.FromMilliseconds(50));

        Assert.False(wheel.Cancel(first));
        clock.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal([2], target.Fired.Select(f => f.Kind));
    }

    [Fact]
    public void Callback_gets_the_handle_that_schedule_returned()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);

        var handle = wheel.Schedule(target, 9, TimeSpan.FromMilliseconds(70));
        clock.Advance(TimeSpan.FromMilliseconds(70));

        Assert.Equal(handle, Assert.Single(target.Fired).Handle);
    }

    [Fact]
    public void Starved_tick_thread_catches_up_firing_everything_due_in_deadline_order()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);
        wheel.Schedule(target, 3, TimeSpan.FromMilliseconds(300));
        wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(100));
        wheel.Schedule(target, 2, TimeSpan.FromMilliseconds(200));
        wheel.Schedule(target, 4, TimeSpan.FromMilliseconds(1200));

        clock.Jump(TimeSpan.FromSeconds(1));
        clock.RunDueTimers();

        Assert.Equal([1, 2, 3], target.Fired.Select(f => f.Kind));
        Assert.Equal(1, wheel.PendingCount);
    }

    [Fact]
    public void Throwing_callback_is_counted_and_does_not_stop_other_timers()
    {
        var clock = new ManualTimeProvider();
        var errors = new List<Exception>();
        using var wheel = new TimingWheel(clock, Tick, onCallbackError: errors.Add);
        var target = new RecordingTimerTarget(clock)
        {
            OnFire = (kind, _) =>
            {
                if (kind == 1)
                    throw new InvalidOperationException("faulty transaction");
            },
        };

        wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(10));
        wheel.Schedule(target, 2, TimeSpan.FromMilliseconds(10));
        wheel.Schedule(target, 3, TimeSpan.FromMilliseconds(20));
        clock.Advance(TimeSpan.FromMilliseconds(20));

        Assert.Equal([1, 2, 3], target.Fired.Select(f => f.Kind).Order());
        Assert.Equal(1, wheel.CallbackFailures);
        Assert.Equal("faulty transaction", Assert.Single(errors).Message);
    }

    [Fact]
    public void Dispose_drops_pending_timers_and_stops_the_ticker()
    {
        var clock = new ManualTimeProvider();
        var wheel = new TimingWheel(clock, Tick);
        var target = new RecordingTimerTarget(clock);
        var handle = wheel.Schedule(target, 1, TimeSpan.FromMilliseconds(50));
        Assert.Equal(1, clock.ActiveTimerCount);

        wheel.Dispose();
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(target.Fired);
        Assert.Equal(0, clock.ActiveTimerCount);
        Assert.False(wheel.Cancel(handle));
        Assert.Throws<ObjectDisposedException>(() => wheel.Schedule(target, 1, Tick));
        wheel.Dispose();
    }

    [Fact]
    public void Uses_one_timer_from_the_time_provider_however_many_are_scheduled()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick);
        var target = new CountingTimerTarget(1);

        for (int i = 0; i < 5000; i++)
            wheel.Schedule(target, 0, TimeSpan.FromMilliseconds(i));

        Assert.Equal(1, clock.ActiveTimerCount);
        Assert.Equal(5000, wheel.PendingCount);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Negative_delay_is_rejected(int milliseconds)
    {
        using var wheel = new TimingWheel(new ManualTimeProvider(), Tick);
        var target = new CountingTimerTarget(1);

        Assert.Throws<ArgumentOutOfRangeException>(() => wheel.Schedule(target, 0, TimeSpan.FromMilliseconds(milliseconds)));
    }

    [Fact]
    public void Delay_beyond_the_maximum_and_null_target_are_rejected()
    {
        using var wheel = new TimingWheel(new ManualTimeProvider(), Tick);

        Assert.Throws<ArgumentOutOfRangeException>(() => wheel.Schedule(new CountingTimerTarget(1), 0, TimeSpan.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => wheel.Schedule(new CountingTimerTarget(1), 0, TimingWheel.MaxDelay + OneMs));
        Assert.Throws<ArgumentNullException>(() => wheel.Schedule(null!, 0, Tick));
        Assert.Equal(0, wheel.PendingCount);
    }

    [Theory]
    [InlineData(0, 4096)]
    [InlineData(2000, 4096)]
    [InlineData(10, 100)]
    [InlineData(10, 32)]
    [InlineData(10, 1 << 21)]
    public void Invalid_resolution_or_slot_count_is_rejected(int resolutionMs, int slots)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TimingWheel(new ManualTimeProvider(), TimeSpan.FromMilliseconds(resolutionMs), slots));
    }

    [Fact]
    public void Pool_grows_past_its_initial_capacity()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, initialCapacity: 2);
        var target = new CountingTimerTarget(1);

        var handles = new List<TimerHandle>();
        for (int i = 0; i < 100; i++)
            handles.Add(wheel.Schedule(target, 0, TimeSpan.FromMilliseconds(10 * (i % 7 + 1))));
        Assert.Equal(100, handles.Distinct().Count());
        for (int i = 0; i < 100; i += 2)
            Assert.True(wheel.Cancel(handles[i]));
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(50, target.Total);
    }

    [Fact]
    public void Schedule_and_cancel_allocate_nothing_once_warm()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, initialCapacity: 64);
        var target = new CountingTimerTarget(1);
        ScheduleAndCancel(wheel, target, 1000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        ScheduleAndCancel(wheel, target, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);

        static void ScheduleAndCancel(TimingWheel wheel, CountingTimerTarget target, int count)
        {
            for (int i = 0; i < count; i++)
            {
                var a = wheel.Schedule(target, 0, TimeSpan.FromMilliseconds(500));
                var b = wheel.Schedule(target, 0, TimeSpan.FromSeconds(32));
                wheel.Reschedule(a, TimeSpan.FromSeconds(1));
                wheel.Cancel(a);
                wheel.Cancel(b);
            }
        }
    }

    [Fact]
    public void Firing_allocates_nothing_once_warm()
    {
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, initialCapacity: 2048);
        var target = new CountingTimerTarget(1);
        ScheduleAndFire(wheel, clock, target);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
            ScheduleAndFire(wheel, clock, target);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(11 * 2000, target.Total);

        static void ScheduleAndFire(TimingWheel wheel, ManualTimeProvider clock, CountingTimerTarget target)
        {
            for (int i = 0; i < 2000; i++)
                wheel.Schedule(target, 0, TimeSpan.FromMilliseconds(10 + i % 300));
            clock.Advance(TimeSpan.FromMilliseconds(320));
        }
    }

    [Fact]
    public async Task Concurrent_schedule_and_cancel_while_ticking_fires_each_survivor_exactly_once()
    {
        const int Threads = 4;
        const int PerThread = 5000;
        var clock = new ManualTimeProvider();
        using var wheel = new TimingWheel(clock, Tick, slotCount: 256, initialCapacity: 16);
        var target = new CountingTimerTarget(Threads * PerThread);
        var cancelled = new bool[Threads * PerThread];
        using var stop = new CancellationTokenSource();

        var ticker = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                clock.Advance(OneMs);
        });
        var workers = Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            for (int i = 0; i < PerThread; i++)
            {
                int kind = t * PerThread + i;
                var handle = wheel.Schedule(target, kind, TimeSpan.FromMilliseconds(random.Next(0, 3000)));
                if (random.Next(3) == 0)
                    cancelled[kind] = wheel.Cancel(handle);
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await ticker.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromSeconds(4));

        Assert.All(workers, w => Assert.True(w.IsCompletedSuccessfully));
        for (int kind = 0; kind < Threads * PerThread; kind++)
            Assert.Equal(cancelled[kind] ? 0 : 1, target.CountOf(kind));
        Assert.Equal(0, wheel.PendingCount);
        Assert.Contains(true, cancelled);
    }

    [Fact]
    public void Runs_on_the_system_clock_too()
    {
        using var wheel = new TimingWheel(TimeProvider.System, Tick);
        using var fired = new ManualResetEventSlim();
        var target = new SignallingTarget(fired);
        var started = TimeProvider.System.GetTimestamp();

        wheel.Schedule(target, 0, TimeSpan.FromMilliseconds(30));

        Assert.True(fired.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(30));
    }

    private sealed class SignallingTarget(ManualResetEventSlim fired) : ITimerTarget
    {
        public void OnTimer(int kind, TimerHandle handle) => fired.Set();
    }
}
