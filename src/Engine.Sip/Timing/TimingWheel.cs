namespace Dialtone.Engine.Sip.Timing;

/// <summary>
/// One hashed timing wheel for every SIP transaction timer (RFC 3261 §17: A, B, D, E, F, G, H, I,
/// J, K and RFC 6026's L and M), instead of one <see cref="ITimer"/> per transaction.
/// </summary>
/// <remarks>
/// <para>A single periodic <see cref="ITimer"/> from the injected <see cref="TimeProvider"/> ticks
/// at <see cref="Resolution"/>. A timer lands in slot <c>deadlineTick % SlotCount</c> and carries
/// its absolute deadline tick, so a delay longer than one turn of the wheel (a 30-minute session
/// timer) simply stays in its slot for several turns: no hierarchy is needed, and with the default
/// 4096 slots of 10 ms every transaction timer (at most 64*T1 = 32 s) fires on its first visit.</para>
/// <para>Schedule, cancel and reschedule are O(1) (doubly linked lists threaded through a pooled
/// node array) and allocate nothing once the pool and the due-list have grown to the working
/// set. A timer never fires early and, when the tick thread keeps up, at most one tick late.</para>
/// <para>Thread-safe: any thread may schedule or cancel. Callbacks run on the tick thread,
/// outside the lock, so a callback may schedule or cancel timers (its own retransmission, say).
/// A cancel that races the expiry returns false and the callback still runs once: targets
/// compare the handle they are given with the one they hold.</para>
/// </remarks>
public sealed class TimingWheel : IDisposable
{
    /// <summary>The default tick: 10 ms, fine enough for T1 = 500 ms retransmissions.</summary>
    public static readonly TimeSpan DefaultResolution = TimeSpan.FromMilliseconds(10);

    /// <summary>The default number of slots: 4096 × 10 ms ≈ 41 s, one turn longer than 64*T1.</summary>
    public const int DefaultSlotCount = 4096;

    /// <summary>The longest delay accepted; far beyond any SIP timer, small enough never to overflow.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(30);

    private const int NoNode = -1;

    private static readonly TimerCallback s_onTick = static state => ((TimingWheel)state!).OnTick();

    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly long _resolutionTicks;
    private readonly int _slotMask;
    private readonly int[] _slotHeads;
    private readonly Lock _lock = new();
    private readonly Action<Exception>? _onCallbackError;
    private readonly ITimer _ticker;

    private Node[] _nodes;
    private int _freeHead;
    private int _pendingCount;
    private long _processedTick;
    private bool _disposed;

    // Only the thread that holds _ticking touches _due.
    private int _ticking;
    private DueTimer[] _due;
    private long _callbackFailures;

    /// <param name="timeProvider">The clock and the source of the single ticking timer.</param>
    /// <param name="resolution">The tick; timers fire on tick boundaries. 1 ms to 1 s.</param>
    /// <param name="slotCount">Number of slots, a power of two (64 to 1,048,576).</param>
    /// <param name="initialCapacity">Timer nodes allocated up front; the pool doubles when exhausted.</param>
    /// <param name="onCallbackError">Told about an exception thrown by a target; the wheel keeps running either way.</param>
    public TimingWheel(
        TimeProvider timeProvider,
        TimeSpan? resolution = null,
        int slotCount = DefaultSlotCount,
        int initialCapacity = 1024,
        Action<Exception>? onCallbackError = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var tick = resolution ?? DefaultResolution;
        if (tick < TimeSpan.FromMilliseconds(1) || tick > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(resolution), tick, "The resolution must be between 1 ms and 1 s.");
        if (slotCount < 64 || slotCount > 1 << 20 || (slotCount & (slotCount - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(slotCount), slotCount, "The slot count must be a power of two between 64 and 1048576.");
        ArgumentOutOfRangeException.ThrowIfLessThan(initialCapacity, 1);

        _time = timeProvider;
        _resolutionTicks = tick.Ticks;
        _slotMask = slotCount - 1;
        _slotHeads = new int[slotCount];
        Array.Fill(_slotHeads, NoNode);
        _nodes = new Node[initialCapacity];
        _freeHead = NoNode;
        AddToFreeList(0, initialCapacity);
        _due = new DueTimer[Math.Min(initialCapacity, 256)];
        _onCallbackError = onCallbackError;

        _startTimestamp = timeProvider.GetTimestamp();
        // Ticks fire at start + k*resolution, so tick k is processed at its own boundary: that is
        // what bounds the lateness to one tick.
        _ticker = timeProvider.CreateTimer(s_onTick, this, tick, tick);
    }

    /// <summary>The tick length.</summary>
    public TimeSpan Resolution => TimeSpan.FromTicks(_resolutionTicks);

    /// <summary>The number of slots in one turn of the wheel.</summary>
    public int SlotCount => _slotMask + 1;

    /// <summary>Timers scheduled and neither fired nor cancelled yet.</summary>
    public int PendingCount
    {
        get { lock (_lock) return _pendingCount; }
    }

    /// <summary>How many callbacks have thrown (each was caught; the wheel went on).</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    /// <summary>
    /// Schedules <paramref name="target"/>.<see cref="ITimerTarget.OnTimer"/>(<paramref name="kind"/>, handle)
    /// to run once, no earlier than <paramref name="delay"/> from now.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The delay is negative or longer than <see cref="MaxDelay"/>.</exception>
    /// <exception cref="ObjectDisposedException">The wheel has been disposed.</exception>
    public TimerHandle Schedule(ITimerTarget target, int kind, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(target);
        long deadline = DeadlineTickFor(delay);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_freeHead == NoNode)
                Grow();

            int index = _freeHead;
            ref var node = ref _nodes[index];
            _freeHead = node.Next;
            node.Target = target;
            node.Kind = kind;
            node.Pending = true;
            node.DeadlineTick = Math.Max(deadline, _processedTick + 1);
            Link(index);
            _pendingCount++;
            return new TimerHandle(index, node.Generation);
        }
    }

    /// <summary>
    /// Cancels a pending timer. Returns false, and does nothing, when the handle is stale: the
    /// timer has already fired (or is firing right now) or was cancelled before.
    /// </summary>
    public bool Cancel(TimerHandle handle)
    {
        lock (_lock)
        {
            if (!IsPendingLocked(handle))
                return false;

            int index = handle.NodeIndex;
            Unlink(index);
            Release(index);
            _pendingCount--;
            return true;
        }
    }

    /// <summary>
    /// Moves a pending timer to fire <paramref name="delay"/> from now instead, keeping its handle
    /// valid. Returns false, and does nothing, when the handle is stale.
    /// </summary>
    public bool Reschedule(TimerHandle handle, TimeSpan delay)
    {
        long deadline = DeadlineTickFor(delay);
        lock (_lock)
        {
            if (!IsPendingLocked(handle))
                return false;

            int index = handle.NodeIndex;
            Unlink(index);
            _nodes[index].DeadlineTick = Math.Max(deadline, _processedTick + 1);
            Link(index);
            return true;
        }
    }

    /// <summary>True while the timer behind <paramref name="handle"/> has neither fired nor been cancelled.</summary>
    public bool IsPending(TimerHandle handle)
    {
        lock (_lock)
            return IsPendingLocked(handle);
    }

    /// <summary>Stops the ticking timer. Pending timers are dropped and never fire.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
                return;
            _disposed = true;
            for (int i = 0; i < _nodes.Length; i++)
            {
                _nodes[i].Target = null;
                _nodes[i].Pending = false;
                _nodes[i].Generation++;
            }
            _pendingCount = 0;
        }
        _ticker.Dispose();
    }

    private long DeadlineTickFor(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero || delay > MaxDelay)
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A timer delay must be between zero and TimingWheel.MaxDelay.");

        // Rounded up: a deadline between two ticks belongs to the later one, never the earlier.
        long elapsed = _time.GetElapsedTime(_startTimestamp).Ticks;
        return (elapsed + delay.Ticks + _resolutionTicks - 1) / _resolutionTicks;
    }

    private bool IsPendingLocked(TimerHandle handle)
    {
        int index = handle.NodeIndex;
        return handle.IsAllocated
            && (uint)index < (uint)_nodes.Length
            && _nodes[index].Pending
            && _nodes[index].Generation == handle.Generation;
    }

    private long CurrentTick() => _time.GetElapsedTime(_startTimestamp).Ticks / _resolutionTicks;

    private void OnTick()
    {
        // A System.Threading.Timer may call back again while a slow round is still running; one
        // thread processes ticks at a time and the loop below picks up what the other one saw.
        while (Interlocked.CompareExchange(ref _ticking, 1, 0) == 0)
        {
            try
            {
                ProcessDueTicks();
            }
            finally
            {
                Volatile.Write(ref _ticking, 0);
            }

            if (CurrentTick() <= Volatile.Read(ref _processedTick) || Volatile.Read(ref _disposed))
                return;
        }
    }

    private void ProcessDueTicks()
    {
        long now = CurrentTick();
        while (true)
        {
            int dueCount;
            lock (_lock)
            {
                if (_disposed || _processedTick >= now)
                    return;

                if (_pendingCount == 0)
                {
                    // Nothing can be due: skip the idle ticks at once (a fake clock may jump hours).
                    Volatile.Write(ref _processedTick, now);
                    return;
                }

                long tick = _processedTick + 1;
                // Advanced before the callbacks run, so a timer they schedule lands on a later tick.
                Volatile.Write(ref _processedTick, tick);
                dueCount = CollectDue(tick);
            }

            InvokeDue(dueCount);
        }
    }

    private int CollectDue(long tick)
    {
        int count = 0;
        int index = _slotHeads[(int)(tick & _slotMask)];
        while (index != NoNode)
        {
            ref var node = ref _nodes[index];
            int next = node.Next;
            if (node.DeadlineTick <= tick)
            {
                if (count == _due.Length)
                    Array.Resize(ref _due, _due.Length * 2);
                _due[count++] = new DueTimer(node.Target!, node.Kind, new TimerHandle(index, node.Generation));
                Unlink(index);
                Release(index);
                _pendingCount--;
            }
            index = next;
        }
        return count;
    }

    private void InvokeDue(int count)
    {
        for (int i = 0; i < count; i++)
        {
            var due = _due[i];
            _due[i] = default;
            try
            {
                due.Target.OnTimer(due.Kind, due.Handle);
            }
            catch (Exception ex)
            {
                // One faulty transaction must not stop every other transaction's timers.
                Interlocked.Increment(ref _callbackFailures);
                _onCallbackError?.Invoke(ex);
            }
        }
    }

    private void Link(int index)
    {
        ref var node = ref _nodes[index];
        ref int head = ref _slotHeads[(int)(node.DeadlineTick & _slotMask)];
        node.Prev = NoNode;
        node.Next = head;
        if (head != NoNode)
            _nodes[head].Prev = index;
        head = index;
    }

    private void Unlink(int index)
    {
        ref var node = ref _nodes[index];
        if (node.Prev != NoNode)
            _nodes[node.Prev].Next = node.Next;
        else
            _slotHeads[(int)(node.DeadlineTick & _slotMask)] = node.Next;
        if (node.Next != NoNode)
            _nodes[node.Next].Prev = node.Prev;
    }

    private void Release(int index)
    {
        ref var node = ref _nodes[index];
        node.Target = null;
        node.Pending = false;
        // Moving the generation on is what turns every outstanding handle to this node stale.
        node.Generation++;
        node.Prev = NoNode;
        node.Next = _freeHead;
        _freeHead = index;
    }

    private void Grow()
    {
        int oldLength = _nodes.Length;
        int newLength = checked(oldLength * 2);
        Array.Resize(ref _nodes, newLength);
        AddToFreeList(oldLength, newLength);
    }

    private void AddToFreeList(int from, int to)
    {
        for (int i = to - 1; i >= from; i--)
        {
            _nodes[i].Next = _freeHead;
            _nodes[i].Prev = NoNode;
            _freeHead = i;
        }
    }

    private struct Node
    {
        public ITimerTarget? Target;
        public long DeadlineTick;
        public int Kind;
        public int Generation;
        public int Next;
        public int Prev;
        public bool Pending;
    }

    private readonly record struct DueTimer(ITimerTarget Target, int Kind, TimerHandle Handle);
}
