using Dialtone.Engine.Sip.Timing;

namespace Dialtone.Engine.Sip.Tests.Timing;

/// <summary>Counts expiries per kind without allocating, for allocation and concurrency tests.</summary>
internal sealed class CountingTimerTarget(int kinds) : ITimerTarget
{
    private readonly int[] _counts = new int[kinds];
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public int CountOf(int kind) => Volatile.Read(ref _counts[kind]);

    public void OnTimer(int kind, TimerHandle handle)
    {
        Interlocked.Increment(ref _counts[kind]);
        Interlocked.Increment(ref _total);
    }
}
