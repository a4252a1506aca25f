namespace Dialtone.Daemon.Operations;

/// <summary>A monotonically increasing count (Prometheus <c>counter</c>). Thread-safe, allocation-free.</summary>
public sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Interlocked.Add(ref _value, amount);
    }
}
