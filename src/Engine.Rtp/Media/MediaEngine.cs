using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Rtp.Transport;
using Microsoft.Extensions.ObjectPool;

namespace Dialtone.Engine.Rtp.Media;

/// <summary>
/// The media engine: a few media threads (about one per core) that pace every stream's packets on a
/// shared frame-period grid, the RTP port range, and pooled per-stream buffers. Streams are spread
/// across the threads and across the phases of the period, so no thread sends all its packets at one
/// instant and no call has a timer of its own.
/// </summary>
public sealed class MediaEngine : IDisposable
{
    private readonly MediaThread[] _threads;
    private readonly DefaultObjectPool<RtpStreamResources> _resourcePool;
    private readonly Lock _streamsLock = new();
    private readonly HashSet<RtpStream> _streams = [];
    private bool _disposed;

    /// <summary>Creates an engine; with dedicated threads (the default) pacing starts at once.</summary>
    public MediaEngine(MediaEngineOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new MediaEngineOptions();
        Options.Validate();
        TimeProvider = timeProvider ?? TimeProvider.System;
        Ports = new RtpPortAllocator(Options.FirstPort, Options.LastPort, Options.SocketReceiveBufferSize);
        SamplesPerPeriod = (int)(Options.FramePeriod.Ticks * 8000 / TimeSpan.TicksPerSecond);
        _resourcePool = new DefaultObjectPool<RtpStreamResources>(
            new RtpStreamResourcesPolicy(Options.JitterBuffer), Math.Max(1, Options.PooledStreamResources));
        _threads = new MediaThread[Options.MediaThreadCount];
        var pollers = new RtpReceivePoller?[_threads.Length];
        ReceiveMode = Options.ReceiveMode;
        if (ReceiveMode == ReceiveMode.Polling)
        {
            for (int i = 0; i < pollers.Length && ReceiveMode == ReceiveMode.Polling; i++)
            {
                pollers[i] = RtpReceivePoller.TryCreate();
                if (pollers[i] is null)
                {
                    // No epoll here (not Linux): every stream receives asynchronously instead.
                    ReceiveMode = ReceiveMode.Async;
                }
            }

            if (ReceiveMode == ReceiveMode.Async)
            {
                foreach (RtpReceivePoller? poller in pollers)
                {
                    poller?.Dispose();
                }

                Array.Clear(pollers);
            }
        }

        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new MediaThread(i, TimeProvider, Options.FramePeriod, Options.PhasesPerPeriod, Options.WakeAhead, Options.MediaThreadNice, Options.MediaThreadRealtimePriority, pollers[i], Options.ReceivePollInterval, Options.StreamsPerPhaseBeforeSpreading);
        }

        if (Options.UseDedicatedThreads)
        {
            foreach (MediaThread thread in _threads)
            {
                thread.Start();
            }
        }
    }

    /// <summary>The configuration in force.</summary>
    public MediaEngineOptions Options { get; }

    /// <summary>The clock every stream and media thread uses.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// How RTP is received: <see cref="MediaEngineOptions.ReceiveMode"/>, except that polling falls back
    /// to <see cref="ReceiveMode.Async"/> where the platform has no epoll.
    /// </summary>
    public ReceiveMode ReceiveMode { get; }

    /// <summary>The RTP/RTCP port pairs streams open on.</summary>
    public RtpPortAllocator Ports { get; }

    /// <summary>Streams created and not yet closed.</summary>
    public int StreamCount
    {
        get
        {
            lock (_streamsLock)
            {
                return _streams.Count;
            }
        }
    }

    /// <summary>Bytes allocated by the dedicated media threads since they started (0 is the goal).</summary>
    public long MediaThreadAllocatedBytes => _threads.Sum(t => t.AllocatedBytes);

    internal int SamplesPerPeriod { get; }

    /// <summary>RTP and RTCP datagrams the media threads took off their sockets in polling mode.</summary>
    internal long PolledDatagrams => _threads.Sum(t => t.PolledDatagrams);

    /// <summary>Slots that left RTP datagrams queued for later because of the per-slot receive bound.</summary>
    internal long ReceiveSlotsAtBound => _threads.Sum(t => t.ReceiveSlotsAtBound);

    /// <summary>Creates a stream; it takes ports and starts pacing when <see cref="RtpStream.Open"/> is called.</summary>
    public RtpStream CreateStream()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var stream = new RtpStream(this);
        lock (_streamsLock)
        {
            _streams.Add(stream);
        }

        return stream;
    }

    /// <summary>
    /// Drives pacing by hand when <see cref="MediaEngineOptions.UseDedicatedThreads"/> is false: runs
    /// every slot due by the time provider's current time on every media thread.
    /// </summary>
    /// <returns>When the next slot is due, in <see cref="System.TimeProvider.GetTimestamp"/> ticks.</returns>
    public long Tick()
    {
        if (Options.UseDedicatedThreads)
        {
            throw new InvalidOperationException("The engine runs its own media threads; Tick is for an engine created with UseDedicatedThreads = false.");
        }

        long now = TimeProvider.GetTimestamp();
        long next = long.MaxValue;
        foreach (MediaThread thread in _threads)
        {
            next = Math.Min(next, thread.Tick(now));
        }

        return next;
    }

    /// <summary>
    /// For an engine driven by <see cref="Tick"/> in polling mode: reads every datagram queued for any
    /// stream now, as the streams' slots would, without running a slot. Lets a test wait for an arrival.
    /// </summary>
    internal void ReceiveNow()
    {
        if (Options.UseDedicatedThreads)
        {
            throw new InvalidOperationException("The engine's own media threads receive; ReceiveNow is for an engine created with UseDedicatedThreads = false.");
        }

        long now = TimeProvider.GetTimestamp();
        foreach (MediaThread thread in _threads)
        {
            thread.ReceiveAll(now);
        }
    }

    /// <summary>How far packets left from their slots since the engine started or the last <see cref="ResetSlotTiming"/>.</summary>
    public SlotTiming GetSlotTiming()
    {
        var totals = new long[SlotErrorHistogram.BucketCount + 1];
        long count = 0;
        long maxTicks = 0;
        long skipped = 0;
        long frequency = TimeProvider.TimestampFrequency;
        foreach (MediaThread thread in _threads)
        {
            thread.SlotErrors.AddTo(totals);
            count += thread.SlotErrors.Count;
            maxTicks = Math.Max(maxTicks, thread.SlotErrors.MaxTicks);
            skipped += thread.SkippedSlots;
        }

        return new SlotTiming(
            count,
            SlotErrorHistogram.Percentile(totals, count, 50),
            SlotErrorHistogram.Percentile(totals, count, 99),
            TimeSpan.FromSeconds((double)maxTicks / frequency),
            skipped);
    }

    /// <summary>Starts a new slot-timing measurement, skipped slots included (applied by each thread at its next tick).</summary>
    public void ResetSlotTiming()
    {
        foreach (MediaThread thread in _threads)
        {
            thread.RequestClearSlotErrors();
        }
    }

    /// <summary>Closes every stream and stops the media threads.</summary>
    public void Dispose()
    {
        RtpStream[] streams;
        lock (_streamsLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            streams = [.. _streams];
        }

        foreach (RtpStream stream in streams)
        {
            stream.Close();
        }

        if (Options.UseDedicatedThreads)
        {
            foreach (MediaThread thread in _threads)
            {
                thread.Stop();
            }
        }

        foreach (MediaThread thread in _threads)
        {
            thread.DisposeReceiver();
        }
    }

    internal RtpStreamResources RentResources() => _resourcePool.Get();

    internal void ReturnResources(RtpStreamResources resources) => _resourcePool.Return(resources);

    /// <summary>Puts an opened stream on the least-loaded media thread.</summary>
    internal MediaThread Attach(RtpStream stream)
    {
        MediaThread target = _threads[0];
        foreach (MediaThread thread in _threads)
        {
            if (thread.AssignedStreams < target.AssignedStreams)
            {
                target = thread;
            }
        }

        target.Add(stream);
        return target;
    }

    internal void Forget(RtpStream stream)
    {
        lock (_streamsLock)
        {
            _streams.Remove(stream);
        }
    }
}
