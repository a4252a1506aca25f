using Dialtone.Engine.Rtp.Streams;

namespace Dialtone.Engine.Rtp.Media;

/// <summary>
/// Paces a share of the engine's streams on a grid of one frame period (20 ms), split into phases so
/// the streams' packets are spread over the period, and in <see cref="ReceiveMode.Polling"/> receives
/// their RTP too. The core is <see cref="Tick"/>: given the time, it takes what has arrived for its
/// streams, runs every slot that is due and says when the next one is; the dedicated thread only
/// sleeps until shortly before that instant (or until its next receive poll, whichever is sooner),
/// spins or yields the rest of the way to a slot, and calls it again. Driven by hand (no thread) it
/// runs on a fake clock.
/// </summary>
internal sealed class MediaThread
{
    /// <summary>Falling further behind than this many periods skips slots rather than bursting them out.</summary>
    private const int MaxLagPeriods = 3;

    private readonly TimeProvider _time;
    private readonly long _periodTicks;
    private readonly long[] _phaseOffsets;
    private readonly RtpStream[][] _phases;
    private readonly int[] _phaseCounts;
    private readonly int[] _assignedPerPhase;
    private readonly int _streamsPerPhaseBeforeSpreading;
    private readonly long _wakeAheadTicks;
    private readonly long _yieldThresholdTicks;
    private readonly int? _nice;
    private readonly int? _realtimePriority;
    private readonly long _receivePollTicks;
    private readonly SlotScratch _scratch = new();
    private RtpReceivePoller? _receiver;
    private readonly Lock _pendingLock = new();
    private readonly List<RtpStream> _pendingAdds = [];
    private readonly List<RtpStream> _pendingRemovals = [];
    private readonly List<RtpStream> _detached = [];
    private readonly List<RtpStream> _receivesFallback = [];
    private volatile bool _hasPending;
    private volatile bool _stopping;
    private volatile bool _clearSlotErrorsRequested;
    private Thread? _thread;
    private bool _started;
    private long _epoch;
    private long _cycle;
    private int _phase;
    private int _assigned;
    private long _skippedSlots;
    private long _allocatedAtStart;
    private long _allocatedBytes;

    public MediaThread(int index, TimeProvider time, TimeSpan period, int phases, TimeSpan wakeAhead, int? nice = null, int? realtimePriority = null, RtpReceivePoller? receiver = null, TimeSpan? receivePollInterval = null, int streamsPerPhaseBeforeSpreading = 0)
    {
        Index = index;
        _streamsPerPhaseBeforeSpreading = streamsPerPhaseBeforeSpreading;
        _receiver = receiver;
        _nice = nice;
        _realtimePriority = realtimePriority;
        _time = time;
        long frequency = time.TimestampFrequency;
        _periodTicks = (long)(period.TotalSeconds * frequency);
        _phaseOffsets = new long[phases];
        for (int i = 0; i < phases; i++)
        {
            _phaseOffsets[i] = _periodTicks * i / phases;
        }

        _phases = new RtpStream[phases][];
        for (int i = 0; i < phases; i++)
        {
            _phases[i] = new RtpStream[4];
        }

        _phaseCounts = new int[phases];
        _assignedPerPhase = new int[phases];
        _wakeAheadTicks = (long)(wakeAhead.TotalSeconds * frequency);
        _yieldThresholdTicks = frequency / 20_000;
        _receivePollTicks = (long)((receivePollInterval ?? TimeSpan.FromMilliseconds(1)).TotalSeconds * frequency);
        SlotErrors = new SlotErrorHistogram(frequency);
    }

    public int Index { get; }

    /// <summary>Streams assigned to this thread, including ones not yet picked up by a tick.</summary>
    public int AssignedStreams => Volatile.Read(ref _assigned);

    public SlotErrorHistogram SlotErrors { get; }

    public long SkippedSlots => Volatile.Read(ref _skippedSlots);

    /// <summary>Bytes the dedicated thread allocated since it started (diagnostics: the hot path allocates none).</summary>
    public long AllocatedBytes => Volatile.Read(ref _allocatedBytes);

    /// <summary>RTP and RTCP datagrams this thread received for its streams (polling mode).</summary>
    public long PolledDatagrams => _receiver?.Datagrams ?? 0;

    /// <summary>Slots that left datagrams queued for later because of the per-slot receive bound (polling mode).</summary>
    public long ReceiveSlotsAtBound => _receiver?.SlotsAtBound ?? 0;

    /// <summary>True while this thread receives for at least one stream, and so wakes at least every receive poll interval (for RTCP).</summary>
    private bool IsReceiving => _receiver is { Count: > 0 };

    /// <summary>
    /// Assigns <paramref name="stream"/> to a phase (see <see cref="MediaEngineOptions.StreamsPerPhaseBeforeSpreading"/>):
    /// the fullest phase still under the packing bound, else the least-populated; it joins at the next tick.
    /// </summary>
    public void Add(RtpStream stream)
    {
        lock (_pendingLock)
        {
            int phase = PackedPhase();
            if (phase < 0)
            {
                phase = 0;
                for (int i = 1; i < _assignedPerPhase.Length; i++)
                {
                    if (_assignedPerPhase[i] < _assignedPerPhase[phase])
                    {
                        phase = i;
                    }
                }
            }

            _assignedPerPhase[phase]++;
            _assigned++;
            stream.Phase = phase;
            _pendingAdds.Add(stream);
            _hasPending = true;
        }
    }

    /// <summary>The fullest phase with fewer than the packing bound's streams, or -1 when every phase has that many (or packing is off).</summary>
    private int PackedPhase()
    {
        int best = -1;
        for (int i = 0; i < _assignedPerPhase.Length; i++)
        {
            int count = _assignedPerPhase[i];
            if (count < _streamsPerPhaseBeforeSpreading && (best < 0 || count > _assignedPerPhase[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Takes <paramref name="stream"/> off the schedule at the next tick, then releases it.</summary>
    public void Remove(RtpStream stream)
    {
        lock (_pendingLock)
        {
            _pendingRemovals.Add(stream);
            _hasPending = true;
        }
    }

    public void RequestClearSlotErrors() => _clearSlotErrorsRequested = true;

    /// <summary>
    /// Takes the RTCP that has arrived for this thread's streams (polling mode), runs every slot due at
    /// or before <paramref name="now"/> (ticks of the time provider), each stream reading its RTP just
    /// before it plays out and sends, and returns when the next non-empty slot is due.
    /// </summary>
    public long Tick(long now)
    {
        if (_hasPending)
        {
            ApplyPending();
        }

        _receiver?.PollRtcp(now);

        if (_clearSlotErrorsRequested)
        {
            _clearSlotErrorsRequested = false;
            SlotErrors.Clear();
            Volatile.Write(ref _skippedSlots, 0);
        }

        if (!_started)
        {
            _started = true;
            _epoch = now;
        }

        int phaseCount = _phaseOffsets.Length;
        while (true)
        {
            long due = Due(_cycle, _phase);
            if (due > now)
            {
                break;
            }

            if (now - due > MaxLagPeriods * _periodTicks)
            {
                // Far behind (the process was frozen, or the machine is overloaded): jump to the current
                // period. The streams' RTP clocks follow the cycle number, so timestamps stay true and the
                // skipped slots are simply packets never sent.
                long behind = (now - due) / _periodTicks;
                _cycle += behind;
                _skippedSlots += behind * AssignedStreams;
                continue;
            }

            int count = _phaseCounts[_phase];
            if (count > 0)
            {
                RtpStream[] streams = _phases[_phase];

                // What arrived since the streams' last slot goes into their jitter buffers (or DTMF
                // receivers, or bridges) before they play out and send.
                _receiver?.ReceivePhase(streams, count, _time.GetTimestamp());
                for (int i = 0; i < count; i++)
                {
                    streams[i].OnSlot(_cycle, due, SlotErrors, _scratch);
                }
            }

            if (++_phase == phaseCount)
            {
                _phase = 0;
                _cycle++;
            }
        }

        // The next slot that has streams (empty phases need no wake-up).
        long cycle = _cycle;
        int phase = _phase;
        for (int i = 0; i < phaseCount; i++)
        {
            if (_phaseCounts[phase] > 0)
            {
                return Due(cycle, phase);
            }

            if (++phase == phaseCount)
            {
                phase = 0;
                cycle++;
            }
        }

        return Due(cycle, phase);
    }

    public void Start()
    {
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = $"media-{Index}",
            Priority = ThreadPriority.AboveNormal,
        };
        _thread.Start();
    }

    public void Stop()
    {
        _stopping = true;
        _thread?.Join();
    }

    private long Due(long cycle, int phase) => _epoch + (cycle * _periodTicks) + _phaseOffsets[phase];

    private void Run()
    {
        MediaThreadTuning.ApplyToCurrentThread(_nice, _realtimePriority);
        // Random.Shared keeps one generator per thread, created on first use: create it now rather
        // than on this thread's first RTCP interval, so the steady state allocates nothing.
        _ = Random.Shared.NextDouble();
        _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        while (!_stopping)
        {
            long now = _time.GetTimestamp();
            long next = Tick(now);
            Volatile.Write(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart);
            long poll = now + _receivePollTicks;
            if (IsReceiving && poll < next - _wakeAheadTicks)
            {
                // A wake-up only to receive: no slot is near, so no spinning to land on an instant.
                SleepUntil(poll);
            }
            else
            {
                WaitUntil(next);
            }
        }
    }

    /// <summary>
    /// For a hand-driven engine: applies pending joins and reads everything queued for this thread's
    /// streams now, as their slots would (tests wait for a packet's arrival this way).
    /// </summary>
    public void ReceiveAll(long now)
    {
        if (_hasPending)
        {
            ApplyPending();
        }

        _receiver?.ReceiveAll(now);
    }

    /// <summary>Closes the receive poller once the thread has stopped (or was never started).</summary>
    public void DisposeReceiver()
    {
        RtpReceivePoller? receiver = _receiver;
        _receiver = null;
        receiver?.Dispose();
    }

    private void SleepUntil(long target)
    {
        long sleepTicks = target - _time.GetTimestamp();
        if (sleepTicks > 0)
        {
            PreciseSleep.Sleep(TimeSpan.FromSeconds((double)sleepTicks / _time.TimestampFrequency));
        }
    }

    private void WaitUntil(long target)
    {
        long now = _time.GetTimestamp();
        long sleepTicks = target - now - _wakeAheadTicks;
        if (sleepTicks > 0)
        {
            PreciseSleep.Sleep(TimeSpan.FromSeconds((double)sleepTicks / _time.TimestampFrequency));
        }

        // The last stretch: yield while other threads may want the core (when the sleep could not be short
        // enough), spin for the final microseconds.
        while (!_stopping && (now = _time.GetTimestamp()) < target)
        {
            if (target - now > _yieldThresholdTicks)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    private void ApplyPending()
    {
        lock (_pendingLock)
        {
            foreach (RtpStream stream in _pendingAdds)
            {
                int phase = stream.Phase;
                ref RtpStream[] streams = ref _phases[phase];
                if (_phaseCounts[phase] == streams.Length)
                {
                    Array.Resize(ref streams, streams.Length * 2);
                }

                stream.IndexInPhase = _phaseCounts[phase];
                streams[_phaseCounts[phase]++] = stream;
                if (_receiver is not null && stream.PolledRtpSocket is not null && !_receiver.Register(stream))
                {
                    _receivesFallback.Add(stream);
                }
            }

            _pendingAdds.Clear();
            foreach (RtpStream stream in _pendingRemovals)
            {
                int phase = stream.Phase;
                int index = stream.IndexInPhase;
                if (phase < 0 || index < 0)
                {
                    continue;
                }

                // Swap the last stream of the phase into the hole.
                RtpStream[] streams = _phases[phase];
                int last = --_phaseCounts[phase];
                streams[index] = streams[last];
                streams[index].IndexInPhase = index;
                streams[last] = null!;
                stream.IndexInPhase = -1;
                _receiver?.Unregister(stream);
                _assignedPerPhase[phase]--;
                _assigned--;
                _detached.Add(stream);
            }

            _pendingRemovals.Clear();
            _hasPending = false;
        }

        // Outside the pending lock: releasing takes the stream's own locks.
        foreach (RtpStream stream in _detached)
        {
            stream.OnDetachedFromThread();
        }

        _detached.Clear();
        foreach (RtpStream stream in _receivesFallback)
        {
            stream.ReceiveAsynchronouslyInstead();
        }

        _receivesFallback.Clear();
    }
}
