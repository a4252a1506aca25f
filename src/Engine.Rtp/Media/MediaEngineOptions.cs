using Dialtone.Engine.Rtp.Receiving;

namespace Dialtone.Engine.Rtp.Media;

/// <summary>Configuration of a <see cref="MediaEngine"/>; every value has a working default.</summary>
public sealed record MediaEngineOptions
{
    /// <summary>Media threads pacing the streams; about one per core. Default: the processor count.</summary>
    public int MediaThreadCount { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// The pacing grid: every stream sends on a multiple of this period. Default 20 ms, the usual G.711
    /// packet time (RFC 3551 §4.5); a stream's ptime must be a whole multiple of it.
    /// </summary>
    public TimeSpan FramePeriod { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Slots per period: streams are spread over this many phase offsets so a thread does not send all
    /// its packets at one instant. Default 40 (a slot every 0.5 ms of a 20 ms period).
    /// </summary>
    public int PhasesPerPeriod { get; init; } = 40;

    /// <summary>
    /// A media thread fills a phase up to this many streams before it opens another; once every phase
    /// holds this many, new streams go to the least-populated phase. Each phase in use is a wake-up of
    /// the thread every period, so a thread with a few dozen calls, one per phase, would wake 2,000
    /// times a second; packed eight to a phase, it wakes a few hundred times, while a few eight-packet
    /// bursts are nothing on the wire. With hundreds of streams per thread every phase fills and the
    /// packets are spread as before. Default 8; 0 spreads from the first stream.
    /// </summary>
    public int StreamsPerPhaseBeforeSpreading { get; init; } = 8;

    /// <summary>
    /// How long before a slot a media thread stops sleeping and spins the rest of the way, to absorb the
    /// operating system's wake-up latency. Default 0: on Linux, with the 1 µs timer slack the media
    /// threads ask for, a sub-millisecond sleep overshoots by a few tens of microseconds, far inside the
    /// 1 ms a packet may leave after its slot, while spinning costs the spin at every slot: with every
    /// phase in use (a few thousand streams) a 50 µs spin took about a tenth of the CPU for no gain that
    /// matters (2,000 streams: p99 slot error 0.23 ms spinning, 0.26 ms not, 11 % less CPU not).
    /// </summary>
    public TimeSpan WakeAhead { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The nice value media threads ask for on Linux (-20..19), so that a busy machine lets them run
    /// promptly at their slots; null leaves them at the process's. Default -10. Lowering it needs
    /// CAP_SYS_NICE (root, or AmbientCapabilities in the systemd unit); without it the request is ignored.
    /// </summary>
    public int? MediaThreadNice { get; init; } = -10;

    /// <summary>
    /// When set (1-99), media threads run in the Linux SCHED_FIFO real-time class at this priority, as
    /// media servers are commonly run, so that no ordinary process on a busy machine can hold a slot
    /// back; null leaves them in the normal class (with <see cref="MediaThreadNice"/>). Default 10: low
    /// in the real-time range (kernel threads and interrupt threads stay above it), above every ordinary
    /// process. On a machine shared with other work only this met the 1 ms target (at nice -10 other
    /// processes still delayed slots by tens of milliseconds), and the kernel's real-time throttling keeps
    /// 5 % of each core for everything else even when the media threads are saturated. Needs CAP_SYS_NICE
    /// (root, or AmbientCapabilities in the systemd unit); without it the request is ignored and the nice
    /// value applies.
    /// </summary>
    public int? MediaThreadRealtimePriority { get; init; } = 10;

    /// <summary>
    /// Run dedicated media threads (the default). When false no thread is started and the owner drives
    /// pacing by calling <see cref="MediaEngine.Tick"/>, e.g. on a fake clock in tests.
    /// </summary>
    public bool UseDedicatedThreads { get; init; } = true;

    /// <summary>
    /// How RTP packets are taken off the streams' sockets. Default <see cref="ReceiveMode.Polling"/>: the
    /// media threads read them at their wake-ups, one system call per packet (see the enum for the
    /// trade-off). RTCP is received asynchronously in either mode: a few packets per stream a minute,
    /// taken the moment they arrive so round-trip times are exact, with the goodbye handler off the media threads.
    /// </summary>
    public ReceiveMode ReceiveMode { get; init; } = ReceiveMode.Polling;

    /// <summary>
    /// In <see cref="ReceiveMode.Polling"/>, the longest a media thread with streams goes between receive
    /// polls when none of its slots falls sooner. Default 1 ms: an arrival time accurate to 1 ms
    /// (8 RTP timestamp units) for RFC 3550 jitter and at most 1 ms of added latency, for a wake-up
    /// costing a few microseconds. Under load the slots (every 0.5 ms) come sooner anyway.
    /// </summary>
    public TimeSpan ReceivePollInterval { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>First port of the RTP range. Default 10000.</summary>
    public int FirstPort { get; init; } = 10000;

    /// <summary>Last port of the RTP range. Default 20000.</summary>
    public int LastPort { get; init; } = 20000;

    /// <summary>SO_RCVBUF of each media socket in bytes; 0 keeps the system default.</summary>
    public int SocketReceiveBufferSize { get; init; }

    /// <summary>
    /// Whether new streams latch onto the address the peer's packets come from (symmetric RTP, RFC 4961;
    /// "comedia"), which gets media through a NAT in front of the peer. Default true.
    /// </summary>
    public bool SymmetricRtp { get; init; } = true;

    /// <summary>The playout buffer for received audio (recording, bridging).</summary>
    public JitterBufferOptions JitterBuffer { get; init; } = new();

    /// <summary>
    /// The session bandwidth used for the RTCP interval (RFC 3550 §6.2). Default 80 kbit/s: 64 kbit/s of
    /// G.711 plus the IP/UDP/RTP headers of 50 packets a second.
    /// </summary>
    public int SessionBandwidthBitsPerSecond { get; init; } = 80_000;

    /// <summary>Stream buffers kept for reuse after calls end. Default 256.</summary>
    public int PooledStreamResources { get; init; } = 256;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MediaThreadCount, 1, nameof(MediaThreadCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MediaThreadCount, 256, nameof(MediaThreadCount));
        if (FramePeriod < TimeSpan.FromMilliseconds(10) || FramePeriod > TimeSpan.FromMilliseconds(60) || FramePeriod.Ticks % TimeSpan.TicksPerMillisecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(FramePeriod), FramePeriod, "The frame period must be a whole number of milliseconds from 10 to 60.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(PhasesPerPeriod, 1, nameof(PhasesPerPeriod));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PhasesPerPeriod, 1000, nameof(PhasesPerPeriod));
        ArgumentOutOfRangeException.ThrowIfNegative(StreamsPerPhaseBeforeSpreading, nameof(StreamsPerPhaseBeforeSpreading));
        if (WakeAhead < TimeSpan.Zero || WakeAhead > FramePeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(WakeAhead), WakeAhead, "WakeAhead must be between 0 and the frame period.");
        }

        if (ReceiveMode is not (ReceiveMode.Polling or ReceiveMode.Async))
        {
            throw new ArgumentOutOfRangeException(nameof(ReceiveMode), ReceiveMode, "Unknown receive mode.");
        }

        if (ReceivePollInterval < TimeSpan.FromMicroseconds(100) || ReceivePollInterval > FramePeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(ReceivePollInterval), ReceivePollInterval, "The receive poll interval must be between 0.1 ms and the frame period.");
        }

        if (MediaThreadRealtimePriority is < 1 or > 99)
        {
            throw new ArgumentOutOfRangeException(nameof(MediaThreadRealtimePriority), MediaThreadRealtimePriority, "A SCHED_FIFO priority is 1..99.");
        }

        if (MediaThreadNice is < -20 or > 19)
        {
            throw new ArgumentOutOfRangeException(nameof(MediaThreadNice), MediaThreadNice, "A nice value is -20..19.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SessionBandwidthBitsPerSecond, nameof(SessionBandwidthBitsPerSecond));
        ArgumentOutOfRangeException.ThrowIfNegative(PooledStreamResources, nameof(PooledStreamResources));
        ArgumentNullException.ThrowIfNull(JitterBuffer, nameof(JitterBuffer));
        JitterBuffer.Validate();
    }
}
