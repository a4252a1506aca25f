namespace Dialtone.Benchmarks.Timing;

/// <summary>
/// A clock for benchmarks: time moves only in <see cref="Advance"/>, which runs the periodic
/// timers that fall due on the way, synchronously and without allocating, so a benchmark
/// measures the timing wheel rather than the thread pool.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private long _now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state, _now + dueTime.Ticks, period.Ticks);
        _timers.Add(timer);
        return timer;
    }

    public void Advance(TimeSpan by)
    {
        long target = _now + by.Ticks;
        while (true)
        {
            ManualTimer? next = null;
            foreach (var timer in _timers)
            {
                if (timer.DueAt <= target && (next is null || timer.DueAt < next.DueAt))
                    next = timer;
            }
            if (next is null)
                break;
            _now = Math.Max(_now, next.DueAt);
            next.DueAt = next.Period > 0 ? next.DueAt + next.Period : long.MaxValue;
            next.Callback(next.State);
        }
        _now = target;
    }

    private sealed class ManualTimer(ManualClock owner, TimerCallback callback, object? state, long dueAt, long period) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        public long DueAt { get; set; } = dueAt;

        public long Period { get; private set; } = period;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            DueAt = owner._now + dueTime.Ticks;
            Period = period.Ticks;
            return true;
        }

        public void Dispose() => owner._timers.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
