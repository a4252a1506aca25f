using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Sip.Timing;

namespace Dialtone.Benchmarks.Timing;

/// <summary>
/// The cost of the one timer structure every SIP transaction shares: a schedule and a cancel
/// (what a transaction that completes normally costs), and firing 100,000 timers.
/// </summary>
[MemoryDiagnoser]
public class TimingWheelBenchmarks
{
    private const int FiringCount = 100_000;

    private ManualClock _clock = null!;
    private TimingWheel _wheel = null!;
    private CountingTarget _target = null!;

    [GlobalSetup]
    public void Setup()
    {
        _clock = new ManualClock();
        _wheel = new TimingWheel(_clock, TimeSpan.FromMilliseconds(10), initialCapacity: FiringCount);
        _target = new CountingTarget();
        // Warm the node pool and the due-list to their working size.
        ScheduleAndFireAll();
    }

    [GlobalCleanup]
    public void Cleanup() => _wheel.Dispose();

    /// <summary>Timer A and Timer B scheduled, then both cancelled by the final response.</summary>
    [Benchmark(OperationsPerInvoke = 2)]
    public bool ScheduleAndCancel()
    {
        var timerA = _wheel.Schedule(_target, 0, TimeSpan.FromMilliseconds(500));
        var timerB = _wheel.Schedule(_target, 1, TimeSpan.FromSeconds(32));
        return _wheel.Cancel(timerA) & _wheel.Cancel(timerB);
    }

    /// <summary>100,000 timers spread over 1 s of ticks, all fired; reported per timer.</summary>
    [Benchmark(OperationsPerInvoke = FiringCount)]
    public long ScheduleAndFire100k() => ScheduleAndFireAll();

    private long ScheduleAndFireAll()
    {
        long before = _target.Fired;
        for (int i = 0; i < FiringCount; i++)
            _wheel.Schedule(_target, 0, TimeSpan.FromMilliseconds(10 + i % 1000));
        _clock.Advance(TimeSpan.FromMilliseconds(1020));
        return _target.Fired - before;
    }

    private sealed class CountingTarget : ITimerTarget
    {
        public long Fired;

        public void OnTimer(int kind, TimerHandle handle) => Fired++;
    }
}
