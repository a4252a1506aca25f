namespace Dialtone.Engine.Sip.Tests.Timing;

/// <summary>
/// A clock that moves only when a test says so. <see cref="Advance"/> walks time forward from one
/// timer due time to the next and runs each callback at its exact instant on the calling thread,
/// as a real clock would have; <see cref="Jump"/> moves time without running anything, to model a
/// tick thread that was starved. Allocation-free once its timers exist, so allocation tests can
/// drive the clock inside the measured loop.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _epoch;
    private long _now;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public ManualTimeProvider(DateTimeOffset epoch) => _epoch = epoch;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Time since construction.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _now));

    public int ActiveTimerCount
    {
        get { lock (_lock) return _timers.Count; }
    }

    public override long GetTimestamp() => Interlocked.Read(ref _now);

    public override DateTimeOffset GetUtcNow() => _epoch + Elapsed;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward by <paramref name="by"/>, running every timer that falls due on the way, in order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target = Interlocked.Read(ref _now) + by.Ticks;
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= target && (next is null || timer.DueAt < next.DueAt))
                        next = timer;
                }

                if (next is null)
                {
                    Interlocked.Exchange(ref _now, Math.Max(target, _now));
                    return;
                }

                Interlocked.Exchange(ref _now, Math.Max(next.DueAt, _now));
                next.Expire();
            }
            next.Run();
        }
    }

    /// <summary>Moves time forward without running any timer (a starved tick thread).</summary>
    public void Jump(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _now, by.Ticks);
    }

    /// <summary>Runs, once each, the timers whose due time has passed.</summary>
    public void RunDueTimers()
    {
        long now = Interlocked.Read(ref _now);
        while (true)
        {
            ManualTimer? next = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt <= now)
                    {
                        next = timer;
                        break;
                    }
                }

                if (next is null)
                    return;
                // A periodic timer that fell behind resumes from now, as System.Threading.Timer does.
                next.Expire();
                if (next.DueAt <= now && next.Period > 0)
                    next.DueAt = now + next.Period;
            }
            next.Run();
        }
    }

    private void Add(ManualTimer timer)
    {
        lock (_lock)
        {
            if (!_timers.Contains(timer))
                _timers.Add(timer);
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock)
            _timers.Remove(timer);
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long DueAt { get; set; }

        public long Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                owner.Remove(this);
                return true;
            }

            DueAt = owner.GetTimestamp() + dueTime.Ticks;
            Period = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            owner.Add(this);
            return true;
        }

        // Called under the owner's lock: the next due time, or removal for a one-shot timer.
        public void Expire()
        {
            if (Period > 0)
                DueAt += Period;
            else
                owner._timers.Remove(this);
        }

        public void Run() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
