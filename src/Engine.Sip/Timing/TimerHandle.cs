namespace Dialtone.Engine.Sip.Timing;

/// <summary>
/// Identifies one scheduled timer of a <see cref="TimingWheel"/>. Timer nodes are pooled and reused,
/// so the handle carries the node's generation: once the timer has fired or been cancelled the
/// generation moves on, and the old handle can neither cancel nor reschedule whatever timer
/// reuses the node. <c>default</c> is a handle to no timer.
/// </summary>
public readonly struct TimerHandle : IEquatable<TimerHandle>
{
    // Node index plus one, so that default(TimerHandle) refers to no node.
    private readonly int _slotPlusOne;
    private readonly int _generation;

    internal TimerHandle(int nodeIndex, int generation)
    {
        _slotPlusOne = nodeIndex + 1;
        _generation = generation;
    }

    /// <summary>False for <c>default</c>; true for a handle returned by <see cref="TimingWheel.Schedule"/>
    /// (whether or not that timer is still pending).</summary>
    public bool IsAllocated => _slotPlusOne != 0;

    internal int NodeIndex => _slotPlusOne - 1;

    internal int Generation => _generation;

    public bool Equals(TimerHandle other) => _slotPlusOne == other._slotPlusOne && _generation == other._generation;

    public override bool Equals(object? obj) => obj is TimerHandle other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_slotPlusOne, _generation);

    public static bool operator ==(TimerHandle left, TimerHandle right) => left.Equals(right);

    public static bool operator !=(TimerHandle left, TimerHandle right) => !left.Equals(right);

    public override string ToString() => IsAllocated ? $"timer #{NodeIndex} gen {_generation}" : "no timer";
}
