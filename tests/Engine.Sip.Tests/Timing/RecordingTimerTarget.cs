using Dialtone.Engine.Sip.Timing;

namespace Dialtone.Engine.Sip.Tests.Timing;

/// <summary>Records every expiry with the clock's time, and optionally reacts to it.</summary>
internal sealed class RecordingTimerTarget(ManualTimeProvider clock) : ITimerTarget
{
    private readonly List<FiredTimer> _fired = [];

    public Action<int, TimerHandle>? OnFire { get; set; }

    public IReadOnlyList<FiredTimer> Fired
    {
        get { lock (_fired) return [.. _fired]; }
    }

    public void OnTimer(int kind, TimerHandle handle)
    {
        lock (_fired)
            _fired.Add(new FiredTimer(kind, clock.Elapsed, handle));
        OnFire?.Invoke(kind, handle);
    }
}
