namespace Dialtone.Daemon.Operations;

/// <summary>
/// Events per second over the last complete second (the CPS gauge). One lock-protected pair of
/// buckets: marking costs a clock read and an increment.
/// </summary>
public sealed class RateMeter(TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _second = long.MinValue;
    private long _current;
    private long _previous;

    public void Mark()
    {
        var second = CurrentSecond();
        lock (_lock)
        {
            Roll(second);
            _current++;
        }
    }

    /// <summary>Events in the last whole second before now.</summary>
    public long PerSecond
    {
        get
        {
            var second = CurrentSecond();
            lock (_lock)
            {
                Roll(second);
                return _previous;
            }
        }
    }

    private long CurrentSecond() => time.GetUtcNow().ToUnixTimeSeconds();

    private void Roll(long second)
    {
        if (second == _second)
            return;
        _previous = second == _second + 1 ? _current : 0;
        _current = 0;
        _second = second;
    }
}
