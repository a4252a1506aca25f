namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// A trunk's admission control: a token bucket for calls per second (carriers reject bursts above
/// the contracted CPS) and a cap on concurrent calls. A leg waits for a token rather than being
/// refused; the concurrent-call slot is released when the leg ends, whatever its outcome.
/// </summary>
public sealed class TrunkGate
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private readonly int _maxCalls;
    private double _tokens;
    private long _refilledAt;
    private int _active;

    /// <param name="callsPerSecond">Sustained rate; the bucket holds one second's worth (at least one call).</param>
    /// <param name="maxCalls">Concurrent legs on this trunk.</param>
    public TrunkGate(double callsPerSecond, int maxCalls, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(callsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCalls);
        _time = time;
        _ratePerSecond = callsPerSecond;
        _burst = Math.Max(1, callsPerSecond);
        _maxCalls = maxCalls;
        _tokens = _burst;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>Legs on the trunk now.</summary>
    public int Active => Volatile.Read(ref _active);

    /// <summary>Waits until a call may start (a token and a free slot), then takes both.</summary>
    public async ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                Refill();
                if (_tokens >= 1 && _active < _maxCalls)
                {
                    _tokens -= 1;
                    _active++;
                    return;
                }
                // No token: wait for the next one. No slot: poll, since slots free up as calls end.
                wait = _tokens < 1
                    ? TimeSpan.FromSeconds((1 - _tokens) / _ratePerSecond)
                    : TimeSpan.FromMilliseconds(50);
            }
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back the concurrent-call slot taken by <see cref="EnterAsync"/>.</summary>
    public void Leave()
    {
        lock (_lock)
        {
            if (_active > 0)
                _active--;
        }
    }

    private void Refill()
    {
        long now = _time.GetTimestamp();
        double seconds = _time.GetElapsedTime(_refilledAt, now).TotalSeconds;
        _refilledAt = now;
        _tokens = Math.Min(_burst, _tokens + (seconds * _ratePerSecond));
    }
}
