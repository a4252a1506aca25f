using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Dialtone.Engine.Rtp.Audio;
using Dialtone.Engine.Rtp.Bridging;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Rtp.Packets;
using Dialtone.Engine.Rtp.Statistics;
using Dialtone.Engine.Rtp.Transport;

namespace Dialtone.Engine.Rtp.Streams;

/// <summary>
/// One RTP audio stream of a call: a port pair, a remote, what to play, where received audio goes,
/// and the RTCP that goes with it. The call layer drives it: <see cref="Open"/>, <see cref="SetRemote"/>
/// from the negotiated SDP, <see cref="Play"/>, sinks, bridging, <see cref="Close"/>. The packets are
/// made by the engine's media threads on the shared pacing grid, not by a timer of the stream's own.
/// </summary>
/// <remarks>
/// Threads: the public methods may be called from any thread. The media thread holds the send lock
/// while it builds and sends the stream's packet for a slot; whatever receives (the media thread
/// itself in <see cref="ReceiveMode.Polling"/>, the RTP receive loop in <see cref="ReceiveMode.Async"/>,
/// and the RTCP receive loop) holds the receive lock while it accounts for an arriving packet. The only
/// lock order is send, then receive, so neither path waits on the other for longer than the other's
/// short critical section.
/// </remarks>
public sealed class RtpStream : IDisposable
{
    private const int ClockRate = 8000;
    private const int IpUdpHeaderLength = 28;
    private const int StateNew = 0;
    private const int StateOpen = 1;
    private const int StateClosed = 2;

    private readonly MediaEngine _engine;
    private readonly TimeProvider _time;
    private readonly Lock _sendLock = new();
    private readonly Lock _receiveLock;
    private readonly byte[] _cname = new byte[16];
    private readonly uint _timestampBase;

    private RtpStreamResources? _resources;
    private int _resourceHolders;
    private RtpPortPair? _ports;
    private SafeHandle? _rtpSocketHandle;
    private SafeHandle? _rtcpSocketHandle;
    private int _rtpDescriptor = -1;
    private volatile bool _receivesByPolling;
    private GoodbyeNotification? _goodbyeNotification;
    private MediaThread? _thread;
    private long _openedTicks;
    private volatile int _state;
    private RtpStreamStatistics _finalStatistics;

    // Send side, guarded by _sendLock (the volatile ones are also read without it).
    private volatile SocketAddress? _remoteRtp;
    private volatile SocketAddress? _remoteRtcp;
    private IPEndPoint? _remoteTemplate;
    private volatile int _payloadType;
    private volatile int _telephoneEventPayloadType = -1;
    private int _samplesPerPacket;
    private int _periodsPerPacket = 1;
    private volatile MediaDirection _direction;
    private bool _hasStartCycle;
    private long _startCycle;
    private uint _lastSlotTimestamp;
    private long _lastSlotDueTicks;
    private ushort _sequence;
    private bool _talkspurtStart = true;
    private long _packetsSent;
    private long _octetsSent;
    private long _sendErrors;
    private IAudioSource? _source;
    private TaskCompletionSource<PlaybackResult>? _playback;
    private volatile IAudioSink[] _sinks = [];
    private volatile ITelephoneEventSource? _eventSource;
    private volatile RtpStream? _bridgePeer;
    private MediaBridge? _bridge;
    private volatile BridgeInbox? _bridgeInbox;
    private TelephoneEventRelay? _eventRelay;
    private bool _rtcpScheduled;
    private long _nextRtcpTicks;
    private long _sentAtPreviousReport;
    private long _sentAtReportBefore;
    private uint _receivedAtPreviousReport;
    private long _rtcpSent;

    // Receive side, guarded by _receiveLock.
    private volatile ITelephoneEventListener? _eventListener;
    private volatile bool _symmetricRtp;
    private bool _rtpLatched;
    private bool _rtcpLatched;
    private SocketAddress? _rtpLatchTarget;
    private SocketAddress? _rtcpLatchTarget;
    private uint _lastSenderReportCompact;
    private long _lastSenderReportArrivalTicks;
    private TimeSpan? _roundTripTime;
    private byte _remoteFractionLost;
    private int _remoteCumulativeLost;
    private uint _remoteJitter;
    private long _malformed;
    private long _rtcpReceived;
    private long _lastRtpArrivalTicks;
    private bool _remoteGoodbye;

    // Written without the receive lock (one store per packet) so that a watchdog can read it without
    // taking the lock every stream's packets go through; see LastReceiveTimestamp.
    private long _lastReceiveTimestamp;
    private double _averageRtcpSize = 128;

    internal RtpStream(MediaEngine engine)
    {
        _engine = engine;
        _time = engine.TimeProvider;

        // When the media thread receives for the stream it already holds the send lock around the
        // stream's slot, so one lock serves both sides: a packet costs one lock, not two.
        _receiveLock = engine.ReceiveMode == ReceiveMode.Polling ? _sendLock : new Lock();
        _symmetricRtp = engine.Options.SymmetricRtp;
        _samplesPerPacket = engine.SamplesPerPeriod;

        // RFC 3550 §5.1: SSRC, sequence number and timestamp start at random values.
        Ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _sequence = (ushort)Random.Shared.Next(0, ushort.MaxValue + 1);
        _timestampBase = (uint)Random.Shared.NextInt64(0, (long)uint.MaxValue + 1);

        // RFC 7022 §4.2: a short-term CNAME of 96 random bits, base64-encoded (16 characters).
        Span<byte> random = stackalloc byte[12];
        Random.Shared.NextBytes(random);
        Base64.EncodeToUtf8(random, _cname, out _, out _);
    }

    /// <summary>
    /// Raised once when the remote's RTCP BYE for its source arrives: on a thread-pool thread (never on a
    /// media thread), or on the RTCP receive loop's thread in <see cref="ReceiveMode.Async"/>.
    /// </summary>
    public event Action<RtpStream>? RemoteGoodbye;

    /// <summary>This stream's synchronization source identifier.</summary>
    public uint Ssrc { get; }

    /// <summary>The engine the stream belongs to.</summary>
    public MediaEngine Engine => _engine;

    /// <summary>True between <see cref="Open"/> and <see cref="Close"/>.</summary>
    public bool IsOpen => _state == StateOpen;

    /// <summary>The local RTP endpoint (for the SDP), once open.</summary>
    public IPEndPoint? LocalEndPoint => _ports?.RtpEndPoint;

    /// <summary>The local RTCP port (RTP + 1), once open.</summary>
    public int LocalRtcpPort => _ports?.RtcpPort ?? 0;

    /// <summary>Where RTP is sent: the negotiated remote, or the address latched by symmetric RTP.</summary>
    public IPEndPoint? RemoteEndPoint
    {
        get
        {
            SocketAddress? remote = _remoteRtp;
            IPEndPoint? template = _remoteTemplate;
            return remote is null || template is null ? null : (IPEndPoint)template.Create(remote);
        }
    }

    /// <summary>The audio codec sent and expected.</summary>
    public AudioPayloadType PayloadType => (AudioPayloadType)_payloadType;

    /// <summary>The negotiated telephone-event payload type (RFC 4733 §7), or -1 when there is none.</summary>
    public int TelephoneEventPayloadType => _telephoneEventPayloadType;

    /// <summary>The packet time (ptime).</summary>
    public TimeSpan PacketTime => TimeSpan.FromTicks(_samplesPerPacket * TimeSpan.TicksPerSecond / ClockRate);

    /// <summary>RTP timestamp units per packet (ptime × 8 for G.711).</summary>
    public int SamplesPerPacket => _samplesPerPacket;

    /// <summary>Whether this side sends and plays out audio; hold is <see cref="MediaDirection.ReceiveOnly"/> or <see cref="MediaDirection.Inactive"/>.</summary>
    public MediaDirection Direction
    {
        get => _direction;
        set
        {
            lock (_sendLock)
            {
                if (value != _direction && value is MediaDirection.SendReceive or MediaDirection.SendOnly)
                {
                    // RFC 3551 §4.1: the first packet after a pause in sending starts a talkspurt.
                    _talkspurtStart = true;
                }

                _direction = value;
            }
        }
    }

    /// <summary>
    /// Symmetric RTP (RFC 4961, "comedia"): send to the address the peer's first valid packet came from
    /// once it arrives, instead of the address in its SDP, so media reaches a peer behind NAT.
    /// </summary>
    public bool SymmetricRtp
    {
        get => _symmetricRtp;
        set => _symmetricRtp = value;
    }

    /// <summary>The hook asked for an RFC 4733 event packet before each audio packet (the DTMF sender).</summary>
    public ITelephoneEventSource? TelephoneEventSource
    {
        get => _eventSource;
        set => _eventSource = value;
    }

    /// <summary>The hook given each received RFC 4733 event packet (the DTMF receiver).</summary>
    public ITelephoneEventListener? TelephoneEventListener
    {
        get => _eventListener;
        set => _eventListener = value;
    }

    /// <summary>True while a <see cref="MediaBridge"/> connects this stream to another.</summary>
    public bool IsBridged => _bridgePeer is not null;

    /// <summary>
    /// When the stream last heard from its remote, in <see cref="TimeProvider.GetTimestamp"/> ticks of the
    /// engine's clock: the arrival of the last well-formed RTP or RTCP packet, or, when none has arrived
    /// since, the moment <see cref="SetRemote"/> first gave the stream a remote or moved it to another
    /// address (a new remote has had no chance to send yet). 0 until one of those happens. Reading it
    /// takes no lock: a call layer can check thousands of streams for a media timeout cheaply.
    /// </summary>
    /// <remarks>
    /// Well-formed means it parsed as RTP or as an RTCP compound, from whatever address; in every direction
    /// RTCP keeps flowing (RFC 3264 §5.1), so it counts as much as RTP. The arrival time is the one the
    /// stream's other statistics use: the receiving wake-up's in <see cref="ReceiveMode.Polling"/>.
    /// </remarks>
    public long LastReceiveTimestamp => Volatile.Read(ref _lastReceiveTimestamp);

    /// <summary>How long before <paramref name="nowTimestamp"/> the stream last heard from its remote (see <see cref="LastReceiveTimestamp"/>); null when the clock has not started.</summary>
    /// <param name="nowTimestamp">Now, in <see cref="TimeProvider.GetTimestamp"/> ticks of the engine's clock.</param>
    public TimeSpan? TimeSinceLastReceive(long nowTimestamp)
    {
        long last = LastReceiveTimestamp;
        return last == 0 ? null : _time.GetElapsedTime(last, Math.Max(last, nowTimestamp));
    }

    internal int Phase { get; set; } = -1;

    internal int IndexInPhase { get; set; } = -1;

    /// <summary>The stream's slot in its media thread's receive poller, -1 when not registered.</summary>
    internal int ReceiveSlot { get; set; } = -1;

    /// <summary>The RTP socket's handle when the media thread receives for this stream (<see cref="ReceiveMode.Polling"/>); otherwise null.</summary>
    internal SafeHandle? PolledRtpSocket => _receivesByPolling ? _rtpSocketHandle : null;

    /// <summary>The RTP socket's descriptor number when the media thread receives for this stream (only to ask poll(2) about it); otherwise -1.</summary>
    internal int PolledRtpDescriptor => _receivesByPolling ? _rtpDescriptor : -1;

    /// <summary>True once <see cref="SetRemote"/> has given the stream somewhere to send (an SDP answer or offer from the peer).</summary>
    internal bool HasRemote => _remoteRtp is not null;

    /// <summary>The RTCP socket's handle when the media thread receives for this stream; otherwise null.</summary>
    internal SafeHandle? PolledRtcpSocket => _receivesByPolling ? _rtcpSocketHandle : null;

    internal BridgeInbox? Inbox => _bridgeInbox;

    /// <summary>
    /// Binds an RTP/RTCP port pair on <paramref name="localAddress"/> from the engine's range, starts
    /// receiving and joins a media thread.
    /// </summary>
    /// <returns>The local RTP endpoint, for the SDP.</returns>
    /// <exception cref="RtpPortsExhaustedException">No port pair is free.</exception>
    public IPEndPoint Open(IPAddress localAddress)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        RtpPortPair ports;
        lock (_sendLock)
        {
            if (_state != StateNew)
            {
                throw new InvalidOperationException(_state == StateOpen ? "The stream is already open." : "The stream is closed.");
            }

            ports = _engine.Ports.Allocate(localAddress);
            ports.RtpSocket.Blocking = false;
            ports.RtcpSocket.Blocking = false;
            _ports = ports;
            _resources = _engine.RentResources();

            // The media thread sends straight through libc where it can (one system call per packet
            // and nothing more), and in polling mode receives that way too.
            _rtpSocketHandle = LinuxUdp.IsSupported ? ports.RtpSocket.SafeHandle : null;
            // RTCP is sent straight through libc as well, in either receive mode: a managed send on a
            // socket that also has an asynchronous receive pending goes through the runtime's
            // asynchronous-socket machinery, which costs more and now and then allocates.
            _rtcpSocketHandle = LinuxUdp.IsSupported ? ports.RtcpSocket.SafeHandle : null;
            _receivesByPolling = _engine.ReceiveMode == ReceiveMode.Polling && _rtpSocketHandle is not null;
            if (_receivesByPolling)
            {
                _rtpDescriptor = (int)_rtpSocketHandle!.DangerousGetHandle();
                _goodbyeNotification ??= new GoodbyeNotification(this);
            }

            // Held by: this stream and the media thread, and in asynchronous mode the RTP and RTCP
            // receive loops (in polling mode the media thread is the receiver).
            _resourceHolders = _receivesByPolling ? 2 : 4;
            _openedTicks = _time.GetTimestamp();
            _state = StateOpen;
            _thread = _engine.Attach(this);
        }

        if (!_receivesByPolling)
        {
            StartReceiveLoops(ports, _resources);
        }

        return ports.RtpEndPoint;
    }

    /// <summary>
    /// Sets where and how to send, from the remote's SDP: its RTP address, the codec, the telephone-event
    /// payload type (-1 when not offered) and the packet time. May be called again (re-INVITE); the
    /// SSRC, sequence numbers and timestamps continue.
    /// </summary>
    /// <param name="remoteRtp">The remote's RTP address (c= and m= lines).</param>
    /// <param name="payloadType">PCMU or PCMA.</param>
    /// <param name="telephoneEventPayloadType">The dynamic payload type of telephone-event (96-127 usually), or -1.</param>
    /// <param name="packetTimeMilliseconds">ptime: a multiple of the engine's frame period, at most 60 ms.</param>
    /// <param name="remoteRtcp">The remote's RTCP address when the SDP names one (RFC 3605); otherwise RTP port + 1.</param>
    public void SetRemote(IPEndPoint remoteRtp, AudioPayloadType payloadType, int telephoneEventPayloadType = 101, int packetTimeMilliseconds = 20, IPEndPoint? remoteRtcp = null)
    {
        ArgumentNullException.ThrowIfNull(remoteRtp);
        if (payloadType is not (AudioPayloadType.Pcmu or AudioPayloadType.Pcma))
        {
            throw new ArgumentOutOfRangeException(nameof(payloadType), payloadType, "Only PCMU (0) and PCMA (8) are supported.");
        }

        if (telephoneEventPayloadType is < -1 or > 127 || telephoneEventPayloadType == (int)payloadType)
        {
            throw new ArgumentOutOfRangeException(nameof(telephoneEventPayloadType), telephoneEventPayloadType, "The telephone-event payload type must be 0-127 and differ from the audio's, or -1 for none.");
        }

        int periodMilliseconds = (int)_engine.Options.FramePeriod.TotalMilliseconds;
        if (packetTimeMilliseconds <= 0 || packetTimeMilliseconds % periodMilliseconds != 0
            || packetTimeMilliseconds * ClockRate / 1000 > RtpStreamResources.MaxSamplesPerPacket)
        {
            throw new ArgumentOutOfRangeException(nameof(packetTimeMilliseconds), packetTimeMilliseconds, $"ptime must be a multiple of the {periodMilliseconds} ms frame period and at most 60 ms.");
        }

        lock (_sendLock)
        {
            if (_state != StateOpen || _ports is null)
            {
                throw new InvalidOperationException("Open the stream before setting its remote.");
            }

            if (remoteRtp.AddressFamily != _ports.Address.AddressFamily)
            {
                throw new ArgumentException($"The remote {remoteRtp} is not in the local address family ({_ports.Address.AddressFamily}).", nameof(remoteRtp));
            }

            IPEndPoint rtcp = remoteRtcp ?? new IPEndPoint(remoteRtp.Address, remoteRtp.Port + 1 > IPEndPoint.MaxPort ? remoteRtp.Port : remoteRtp.Port + 1);
            if (!remoteRtp.Equals(_remoteTemplate))
            {
                // The receive clock starts (or restarts) with a remote that has not been heard yet; a
                // re-INVITE that keeps the address (a session refresh) does not make silence look new.
                Volatile.Write(ref _lastReceiveTimestamp, _time.GetTimestamp());
            }

            lock (_receiveLock)
            {
                _remoteTemplate = remoteRtp;
                _remoteRtp = remoteRtp.Serialize();
                _remoteRtcp = rtcp.Serialize();
                _rtpLatchTarget = new SocketAddress(remoteRtp.AddressFamily, SocketAddress.GetMaximumAddressSize(remoteRtp.AddressFamily));
                _rtcpLatchTarget = new SocketAddress(remoteRtp.AddressFamily, SocketAddress.GetMaximumAddressSize(remoteRtp.AddressFamily));
                _rtpLatched = false;
                _rtcpLatched = false;
            }

            if (_payloadType != (int)payloadType)
            {
                // What is buffered was encoded with the other law.
                ResetPlayout();
            }

            _payloadType = (int)payloadType;
            _telephoneEventPayloadType = telephoneEventPayloadType;
            _samplesPerPacket = packetTimeMilliseconds * ClockRate / 1000;
            _periodsPerPacket = packetTimeMilliseconds / periodMilliseconds;
            if (!_rtcpScheduled)
            {
                // RFC 3550 §6.2: the first report goes out after half the minimum interval, randomised.
                ScheduleRtcp(_time.GetTimestamp(), members: 1, senders: 1, weSent: true, initial: true);
                _rtcpScheduled = true;
            }
        }
    }

    /// <summary>
    /// Plays <paramref name="source"/> from the next slot, replacing whatever was playing. The task
    /// completes when the source ends, is stopped or replaced, or the stream closes. The stream does
    /// not dispose the source: once the task has completed the media thread no longer touches it.
    /// </summary>
    public Task<PlaybackResult> Play(IAudioSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        lock (_sendLock)
        {
            if (_state == StateClosed)
            {
                return Task.FromResult(PlaybackResult.Closed);
            }

            if (_state != StateOpen)
            {
                throw new InvalidOperationException("Open the stream before playing on it.");
            }

            FinishPlayback(PlaybackResult.Replaced);
            var completion = new TaskCompletionSource<PlaybackResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            _source = source;
            _playback = completion;
            return completion.Task;
        }
    }

    /// <summary>Stops the current playback, if any; silence is sent from the next slot.</summary>
    /// <returns>True when something was playing.</returns>
    public bool StopPlayback()
    {
        lock (_sendLock)
        {
            bool playing = _source is not null;
            FinishPlayback(PlaybackResult.Stopped);
            return playing;
        }
    }

    /// <summary>True while a source is playing.</summary>
    public bool IsPlaying
    {
        get
        {
            lock (_sendLock)
            {
                return _source is not null;
            }
        }
    }

    /// <summary>
    /// Adds a sink that from the next slot gets, every packet time, one frame of what was received
    /// (after the jitter buffer) and one frame of what was sent, both as 8 kHz PCM.
    /// </summary>
    public void AddSink(IAudioSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        lock (_sendLock)
        {
            IAudioSink[] current = _sinks;
            if (Array.IndexOf(current, sink) >= 0)
            {
                return;
            }

            if (current.Length == 0 && _bridgePeer is null)
            {
                // Received audio was not being kept; start playout afresh rather than from stale audio.
                ResetPlayout();
            }

            var next = new IAudioSink[current.Length + 1];
            current.CopyTo(next, 0);
            next[^1] = sink;
            _sinks = next;
        }
    }

    /// <summary>Removes a sink; it gets no frame after this returns.</summary>
    public bool RemoveSink(IAudioSink sink)
    {
        lock (_sendLock)
        {
            IAudioSink[] current = _sinks;
            int index = Array.IndexOf(current, sink);
            if (index < 0)
            {
                return false;
            }

            var next = new IAudioSink[current.Length - 1];
            Array.Copy(current, 0, next, 0, index);
            Array.Copy(current, index + 1, next, index, current.Length - index - 1);
            _sinks = next;
            return true;
        }
    }

    /// <summary>The stream's counters now (or as they were when it closed).</summary>
    public RtpStreamStatistics GetStatistics()
    {
        lock (_sendLock)
        {
            return _state == StateClosed ? _finalStatistics : BuildStatistics();
        }
    }

    /// <summary>
    /// Ends the stream: sends an RTCP BYE (RFC 3550 §6.6) in a compound led by a report, completes any
    /// playback, leaves a bridge, stops pacing and releases the ports. Safe to call more than once.
    /// </summary>
    public void Close()
    {
        MediaBridge? bridge;
        lock (_sendLock)
        {
            if (_state != StateOpen)
            {
                _state = StateClosed;
                _engine.Forget(this);
                return;
            }

            if (_resources is not null && _remoteRtcp is not null)
            {
                long now = _time.GetTimestamp();
                SendRtcp(_resources, now, goodbye: true);
            }

            FinishPlayback(PlaybackResult.Closed);
            _finalStatistics = BuildStatistics();
            _state = StateClosed;
            bridge = _bridge;
        }

        bridge?.Dispose();
        _thread?.Remove(this);
        _ports?.Dispose();
        ReleaseResources();
        _engine.Forget(this);
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    internal void AttachBridge(MediaBridge bridge, RtpStream peer)
    {
        lock (_sendLock)
        {
            if (_state != StateOpen)
            {
                throw new InvalidOperationException("Only an open stream can be bridged.");
            }

            if (_bridgePeer is not null)
            {
                throw new InvalidOperationException("The stream is already bridged.");
            }

            if (_sinks.Length == 0)
            {
                ResetPlayout();
            }

            BridgeInbox inbox = _bridgeInbox ?? new BridgeInbox();
            inbox.Clear();
            _eventRelay ??= new TelephoneEventRelay();
            _eventRelay.Reset();
            _bridgeInbox = inbox;
            _bridge = bridge;
            _bridgePeer = peer;
        }
    }

    internal void DetachBridge(MediaBridge bridge)
    {
        lock (_sendLock)
        {
            if (_bridge != bridge)
            {
                return;
            }

            _bridge = null;
            _bridgePeer = null;
            _eventRelay?.Reset();
            _bridgeInbox?.Clear();
        }
    }

    /// <summary>Called by the media thread once the stream has left its schedule (and its receive poller).</summary>
    internal void OnDetachedFromThread() => ReleaseResources();

    /// <summary>
    /// Called by the media thread when it cannot poll this stream's RTP socket (the kernel refused the
    /// registration): the stream falls back to an asynchronous receive loop of its own.
    /// </summary>
    internal void ReceiveAsynchronouslyInstead()
    {
        RtpPortPair? ports = _ports;
        RtpStreamResources? resources = _resources;
        if (!_receivesByPolling || ports is null || resources is null || _state != StateOpen)
        {
            return;
        }

        _receivesByPolling = false;
        Interlocked.Add(ref _resourceHolders, 2);
        StartReceiveLoops(ports, resources);
    }

    /// <summary>Counts a datagram that could not be read as a packet: larger than the receive buffer, or an error reported on the socket.</summary>
    internal void OnUnreadableDatagram()
    {
        lock (_receiveLock)
        {
            _malformed++;
        }
    }

    /// <summary>
    /// Produces this stream's packet for one slot of the pacing grid. Runs on the stream's media thread.
    /// </summary>
    /// <param name="cycle">The grid period number; timestamps advance one period's samples per cycle.</param>
    /// <param name="dueTicks">When the slot was due, in <see cref="TimeProvider.GetTimestamp"/> ticks.</param>
    /// <param name="slotErrors">Where the distance from the slot is recorded.</param>
    /// <param name="scratch">The media thread's buffers to build the packet in.</param>
    internal void OnSlot(long cycle, long dueTicks, SlotErrorHistogram slotErrors, SlotScratch scratch)
    {
        lock (_sendLock)
        {
            RtpStreamResources? resources = _resources;
            if (_state != StateOpen || resources is null)
            {
                return;
            }

            if (!_hasStartCycle)
            {
                _hasStartCycle = true;
                _startCycle = cycle;
            }

            long periods = cycle - _startCycle;
            if (periods % _periodsPerPacket != 0)
            {
                return;
            }

            // The RTP clock runs with the grid, whatever was sent: a skipped or silent slot still
            // advances the timestamp (RFC 3550 §5.1: the timestamp reflects the sampling instant).
            uint timestamp = _timestampBase + (uint)(periods * _engine.SamplesPerPeriod);
            _lastSlotTimestamp = timestamp;
            _lastSlotDueTicks = dueTicks;
            int samples = _samplesPerPacket;
            IAudioSink[] sinks = _sinks;
            RtpStream? peer = _bridgePeer;
            MediaDirection direction = _direction;

            if ((direction is MediaDirection.SendReceive or MediaDirection.ReceiveOnly) && (sinks.Length > 0 || peer is not null))
            {
                PlayOutReceived(resources, scratch, samples, sinks, peer);
            }
            else if (sinks.Length > 0)
            {
                WriteSilenceToSinks(scratch, sinks, samples, AudioDirection.Received);
            }

            SocketAddress? remote = _remoteRtp;
            if (remote is not null && (direction is MediaDirection.SendReceive or MediaDirection.SendOnly))
            {
                SendSlot(scratch, remote, timestamp, samples, dueTicks, sinks, peer, slotErrors);
            }
            else
            {
                _talkspurtStart = true;
                if (sinks.Length > 0)
                {
                    WriteSilenceToSinks(scratch, sinks, samples, AudioDirection.Sent);
                }
            }

            // Compared with the slot's time, not a fresh clock reading: one fewer clock read per packet,
            // and a report is due at a random instant anyway (RFC 3550 §6.3.1).
            if (_rtcpScheduled && dueTicks >= _nextRtcpTicks)
            {
                SendRtcp(resources, _time.GetTimestamp(), goodbye: false);
            }
        }
    }

    private void PlayOutReceived(RtpStreamResources resources, SlotScratch scratch, int samples, IAudioSink[] sinks, RtpStream? peer)
    {
        var payloadType = (AudioPayloadType)_payloadType;
        Span<byte> received = scratch.ReceivedPayload.AsSpan(0, samples);
        lock (_receiveLock)
        {
            resources.JitterBuffer.AdaptTo(resources.Statistics.Jitter, samples);
            resources.JitterBuffer.Read(received, G711Payload.Silence(payloadType));
        }

        peer?.Inbox?.WriteAudio(received, payloadType);
        if (sinks.Length > 0)
        {
            Span<short> pcm = scratch.ReceivedPcm.AsSpan(0, samples);
            G711Payload.Decode(payloadType, received, pcm);
            WriteToSinks(sinks, pcm, AudioDirection.Received);
        }
    }

    private void SendSlot(SlotScratch scratch, SocketAddress remote, uint timestamp, int samples, long dueTicks, IAudioSink[] sinks, RtpStream? peer, SlotErrorHistogram slotErrors)
    {
        Span<byte> payload = scratch.Packet.AsSpan(RtpPacket.FixedHeaderLength);
        int telephoneEventPayloadType = _telephoneEventPayloadType;
        if (telephoneEventPayloadType >= 0)
        {
            // RFC 4733 §2.5.1.2: while an event lasts its packets replace the audio.
            ITelephoneEventSource? events = _eventSource;
            TelephoneEventPacket eventPacket = default;
            RelayAction relay = RelayAction.None;
            if (events is not null && events.TryWritePacket(timestamp, samples, payload, out eventPacket))
            {
                relay = RelayAction.Send;
            }
            else if (peer is not null && _eventRelay is not null && _bridgeInbox is not null)
            {
                relay = _eventRelay.Next(_bridgeInbox, timestamp, payload, out eventPacket);
            }

            if (relay != RelayAction.None)
            {
                if (relay == RelayAction.Send)
                {
                    var header = new RtpHeader(eventPacket.Marker, (byte)telephoneEventPayloadType, _sequence, eventPacket.Timestamp, Ssrc);
                    Transmit(scratch.Packet, remote, header, eventPacket.PayloadLength, dueTicks, slotErrors);
                }

                // The next audio packet starts a new talkspurt after the gap the event left in it.
                _talkspurtStart = true;
                if (sinks.Length > 0)
                {
                    WriteSilenceToSinks(scratch, sinks, samples, AudioDirection.Sent);
                }

                return;
            }
        }

        var payloadType = (AudioPayloadType)_payloadType;
        Span<byte> audio = payload[..samples];
        Span<short> pcm = scratch.SentPcm.AsSpan(0, samples);
        bool pcmReady = false;
        if (peer is not null && _bridgeInbox is not null)
        {
            _bridgeInbox.ReadAudio(audio, payloadType);
        }
        else if (_source is null)
        {
            // Nothing playing: the codec's silence octet, which is what encoding a slot of zero
            // samples gives, without encoding them (most streams are silent most of the time).
            audio.Fill(G711Payload.Silence(payloadType));
            if (sinks.Length > 0)
            {
                pcm.Clear();
            }

            pcmReady = true;
        }
        else
        {
            ReadSource(pcm);
            G711Payload.Encode(payloadType, pcm, audio);
            pcmReady = true;
        }

        var audioHeader = new RtpHeader(_talkspurtStart, (byte)payloadType, _sequence, timestamp, Ssrc);
        _talkspurtStart = false;
        Transmit(scratch.Packet, remote, audioHeader, samples, dueTicks, slotErrors);

        if (sinks.Length > 0)
        {
            if (!pcmReady)
            {
                G711Payload.Decode(payloadType, audio, pcm);
            }

            WriteToSinks(sinks, pcm, AudioDirection.Sent);
        }
    }

    private void Transmit(byte[] packet, SocketAddress remote, in RtpHeader header, int payloadLength, long dueTicks, SlotErrorHistogram slotErrors)
    {
        int length = RtpPacketWriter.WriteHeader(packet, header) + payloadLength;
        _sequence++;
        slotErrors.Record(_time.GetTimestamp() - dueTicks);
        bool sent = SendDatagram(_rtpSocketHandle, _ports!.RtpSocket, packet.AsSpan(0, length), remote);

        if (sent)
        {
            _packetsSent++;
            _octetsSent += payloadLength;
        }
        else
        {
            // A full socket buffer or an unreachable network: the packet is lost like any other.
            _sendErrors++;
        }
    }

    private void ReadSource(Span<short> pcm)
    {
        int read = 0;
        IAudioSource? source = _source;
        if (source is not null)
        {
            try
            {
                read = Math.Clamp(source.Read(pcm), 0, pcm.Length);
                if (source.Completed)
                {
                    FinishPlayback(PlaybackResult.Completed);
                }
            }
            catch (Exception e)
            {
                // A failing source ends its playback; it never takes the media thread down.
                TaskCompletionSource<PlaybackResult>? completion = _playback;
                _source = null;
                _playback = null;
                completion?.TrySetException(e);
            }
        }

        pcm[read..].Clear();
    }

    private void FinishPlayback(PlaybackResult result)
    {
        TaskCompletionSource<PlaybackResult>? completion = _playback;
        _source = null;
        _playback = null;
        completion?.TrySetResult(result);
    }

    private void WriteSilenceToSinks(SlotScratch scratch, IAudioSink[] sinks, int samples, AudioDirection direction)
    {
        Span<short> pcm = (direction == AudioDirection.Received ? scratch.ReceivedPcm : scratch.SentPcm).AsSpan(0, samples);
        pcm.Clear();
        WriteToSinks(sinks, pcm, direction);
    }

    private void WriteToSinks(IAudioSink[] sinks, ReadOnlySpan<short> pcm, AudioDirection direction)
    {
        foreach (IAudioSink sink in sinks)
        {
            try
            {
                sink.Write(pcm, direction);
            }
            catch (Exception)
            {
                // A sink that throws (a full disk under a recorder) is dropped rather than retried every frame.
                RemoveSink(sink);
            }
        }
    }

    private void SendRtcp(RtpStreamResources resources, long now, bool goodbye)
    {
        SocketAddress? target = _remoteRtcp;
        RtpPortPair? ports = _ports;
        if (target is null || ports is null)
        {
            return;
        }

        // RFC 3550 §6.4: an SR when we sent RTP since the report before last, otherwise an RR; one
        // report block for the source we receive; then SDES with the CNAME (§6.1: every compound has one).
        bool weSent = _packetsSent != _sentAtReportBefore;
        RtcpReportBlock block = default;
        bool hasBlock;
        bool remoteSent;
        int members;
        lock (_receiveLock)
        {
            RtpReceiveStatistics statistics = resources.Statistics;
            hasBlock = statistics.HasSource && statistics.Expected > 0;
            if (hasBlock)
            {
                uint delay = _lastSenderReportCompact == 0 ? 0 : NtpTimestamp.ToCompactDuration(_time.GetElapsedTime(_lastSenderReportArrivalTicks, now));
                block = statistics.CreateReportBlock(_lastSenderReportCompact, delay);
            }

            remoteSent = statistics.Received != _receivedAtPreviousReport;
            _receivedAtPreviousReport = statistics.Received;
            members = statistics.HasSource ? 2 : 1;
        }

        ReadOnlySpan<RtcpReportBlock> blocks = hasBlock ? new ReadOnlySpan<RtcpReportBlock>(in block) : default;
        var writer = new RtcpCompoundWriter(resources.RtcpSendBuffer);
        if (weSent)
        {
            ulong ntp = NtpTimestamp.FromDateTimeOffset(_time.GetUtcNow());
            uint rtpTimestamp = _lastSlotTimestamp + ToTimestampUnits(now - _lastSlotDueTicks);
            writer.TryWriteSenderReport(Ssrc, new RtcpSenderInfo(ntp, rtpTimestamp, (uint)_packetsSent, (uint)_octetsSent), blocks);
        }
        else
        {
            writer.TryWriteReceiverReport(Ssrc, blocks);
        }

        writer.TryWriteSourceDescription(Ssrc, _cname);
        if (goodbye)
        {
            writer.TryWriteGoodbye(Ssrc);
        }

        if (SendDatagram(_rtcpSocketHandle, ports.RtcpSocket, writer.WrittenSpan, target))
        {
            _rtcpSent++;
        }
        else
        {
            _sendErrors++;
        }

        _sentAtReportBefore = _sentAtPreviousReport;
        _sentAtPreviousReport = _packetsSent;
        lock (_receiveLock)
        {
            _averageRtcpSize = RtcpInterval.UpdateAverageSize(_averageRtcpSize, writer.BytesWritten + IpUdpHeaderLength);
        }

        ScheduleRtcp(now, members, (weSent ? 1 : 0) + (remoteSent ? 1 : 0), weSent, initial: false);
    }

    /// <summary>
    /// Sends one datagram: straight through libc when the stream has the socket's handle for that
    /// (Linux), else through the managed socket. False when it did not leave (a full buffer, an
    /// unreachable network, a socket closed meanwhile): the packet is lost like any other.
    /// </summary>
    private static bool SendDatagram(SafeHandle? direct, Socket socket, ReadOnlySpan<byte> datagram, SocketAddress target)
    {
        if (direct is not null)
        {
            return LinuxUdp.SendTo(direct, datagram, target, out _);
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, target);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void ScheduleRtcp(long now, int members, int senders, bool weSent, bool initial)
    {
        double rtcpBandwidth = _engine.Options.SessionBandwidthBitsPerSecond * RtcpInterval.RtcpBandwidthFraction / 8;
        double averageSize;
        lock (_receiveLock)
        {
            averageSize = _averageRtcpSize;
        }

        TimeSpan interval = RtcpInterval.Compute(members, senders, rtcpBandwidth, weSent, averageSize, initial, Random.Shared.NextDouble());
        _nextRtcpTicks = now + (long)(interval.TotalSeconds * _time.TimestampFrequency);
    }

    private RtpStreamStatistics BuildStatistics()
    {
        RtpStreamResources? resources = _resources;
        lock (_receiveLock)
        {
            RtpReceiveStatistics? statistics = resources?.Statistics;
            return new RtpStreamStatistics
            {
                PacketsSent = _packetsSent,
                OctetsSent = _octetsSent,
                SendErrors = _sendErrors,
                RemoteSsrc = statistics?.Ssrc ?? 0,
                PacketsReceived = statistics?.Received ?? 0,
                PacketsExpected = statistics?.Expected ?? 0,
                PacketsLost = statistics?.CumulativeLost ?? 0,
                Jitter = TimeSpan.FromTicks((statistics?.Jitter ?? 0) * TimeSpan.TicksPerSecond / ClockRate),
                MalformedPackets = _malformed,
                RoundTripTime = _roundTripTime,
                RemoteFractionLost = _remoteFractionLost / 256.0,
                RemotePacketsLost = _remoteCumulativeLost,
                RemoteJitter = TimeSpan.FromTicks(_remoteJitter * TimeSpan.TicksPerSecond / ClockRate),
                RtcpPacketsSent = _rtcpSent,
                RtcpPacketsReceived = _rtcpReceived,
                RemoteGoodbye = _remoteGoodbye,
                ConcealedSamples = resources?.JitterBuffer.ConcealedSamples ?? 0,
                TimeSinceLastPacket = _lastRtpArrivalTicks == 0 ? null : _time.GetElapsedTime(_lastRtpArrivalTicks),
            };
        }
    }

    private void StartReceiveLoops(RtpPortPair ports, RtpStreamResources resources)
    {
        AddressFamily family = ports.Address.AddressFamily;
        _ = ReceiveLoopAsync(ports.RtpSocket, resources.RtpReceiveBuffer, new SocketAddress(family, SocketAddress.GetMaximumAddressSize(family)), isRtcp: false);
        _ = ReceiveLoopAsync(ports.RtcpSocket, resources.RtcpReceiveBuffer, new SocketAddress(family, SocketAddress.GetMaximumAddressSize(family)), isRtcp: true);
    }

    private async Task ReceiveLoopAsync(Socket socket, byte[] buffer, SocketAddress from, bool isRtcp)
    {
        try
        {
            while (true)
            {
                int length;
                try
                {
                    length = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from).ConfigureAwait(false);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionReset or SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
                {
                    // An oversized datagram, or an ICMP error reported on the socket: not fatal to the stream.
                    lock (_receiveLock)
                    {
                        _malformed++;
                    }

                    continue;
                }

                if (isRtcp)
                {
                    OnRtcpDatagram(buffer.AsSpan(0, length), from, _time.GetTimestamp());
                }
                else
                {
                    OnRtpDatagram(buffer.AsSpan(0, length), from, _time.GetTimestamp());
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The stream closed its sockets.
        }
        catch (SocketException)
        {
            // OperationAborted and friends: the socket is gone.
        }
        finally
        {
            ReleaseResources();
        }
    }

    /// <summary>Accounts for one datagram that arrived on the RTP port at <paramref name="arrivalTicks"/>.</summary>
    internal void OnRtpDatagram(ReadOnlySpan<byte> datagram, SocketAddress from, long arrivalTicks)
    {
        RtpStreamResources? resources = _resources;
        if (resources is null)
        {
            return;
        }

        if (RtpPacket.TryRead(datagram, out RtpPacket packet) != RtpReadResult.Success)
        {
            lock (_receiveLock)
            {
                _malformed++;
            }

            return;
        }

        // A plain store: the RTP and RTCP receivers may race by microseconds, which a timeout counted in
        // seconds does not notice, and a compare-and-swap per packet would cost every packet for nothing.
        Volatile.Write(ref _lastReceiveTimestamp, arrivalTicks);

        int telephoneEventPayloadType = _telephoneEventPayloadType;
        bool isEvent = telephoneEventPayloadType >= 0 && packet.PayloadType == telephoneEventPayloadType;
        bool isAudio = packet.PayloadType == _payloadType;
        RtpStream? peer = _bridgePeer;
        bool playOut = isAudio
            && (peer is not null || _sinks.Length > 0)
            && (_direction is MediaDirection.SendReceive or MediaDirection.ReceiveOnly);

        lock (_receiveLock)
        {
            if (_symmetricRtp && !_rtpLatched && _remoteRtp is not null)
            {
                _rtpLatched = true;
                _remoteRtp = Latch(from, _remoteRtp, _rtpLatchTarget);
            }

            resources.Statistics.UpdateSequence(packet.Ssrc, packet.SequenceNumber);
            if (isAudio)
            {
                resources.Statistics.UpdateJitter(packet.Timestamp, ToTimestampUnits(arrivalTicks - _openedTicks));
                if (playOut)
                {
                    resources.JitterBuffer.Write(packet.Ssrc, packet.Timestamp, packet.Payload);
                }
            }

            _lastRtpArrivalTicks = arrivalTicks;
        }

        if (isEvent)
        {
            ITelephoneEventListener? listener = _eventListener;
            if (listener is not null)
            {
                try
                {
                    listener.OnTelephoneEvent(packet.Payload, packet.Ssrc, packet.Timestamp, packet.Marker);
                }
                catch (Exception)
                {
                    // A listener's fault must not stop the receive path (a media thread, when polling).
                }
            }

            peer?.Inbox?.EnqueueEvent(packet.Payload, packet.Timestamp);
        }
    }

    /// <summary>Accounts for one datagram that arrived on the RTCP port at <paramref name="arrivalTicks"/>.</summary>
    internal void OnRtcpDatagram(ReadOnlySpan<byte> datagram, SocketAddress from, long arrivalTicks)
    {
        RtpStreamResources? resources = _resources;
        if (resources is null)
        {
            return;
        }

        if (RtcpCompoundReader.TryCreate(datagram, out RtcpCompoundReader reader) != RtcpReadResult.Success)
        {
            lock (_receiveLock)
            {
                _malformed++;
            }

            return;
        }

        Volatile.Write(ref _lastReceiveTimestamp, arrivalTicks);

        // The wall clock at arrival, for the round trip (RFC 3550 §6.4.1): now, less the time the report
        // waited to be read (up to one wake-up interval when the media thread polls).
        long now = arrivalTicks;
        uint arrivalCompact = NtpTimestamp.ToCompact(NtpTimestamp.FromDateTimeOffset(_time.GetUtcNow() - _time.GetElapsedTime(arrivalTicks)));
        bool goodbye = false;
        lock (_receiveLock)
        {
            _rtcpReceived++;
            _averageRtcpSize = RtcpInterval.UpdateAverageSize(_averageRtcpSize, datagram.Length + IpUdpHeaderLength);
            if (_symmetricRtp && !_rtcpLatched && _remoteRtcp is not null)
            {
                _rtcpLatched = true;
                _remoteRtcp = Latch(from, _remoteRtcp, _rtcpLatchTarget);
            }

            uint remoteSsrc = resources.Statistics.Ssrc;
            bool knowRemote = resources.Statistics.HasSource;
            while (reader.TryReadNext(out RtcpPacket packet))
            {
                if (packet.Type == (byte)RtcpPacketType.SenderReport && packet.TryGetSenderInfo(out RtcpSenderInfo senderInfo))
                {
                    // Kept for the LSR/DLSR of our next report block (RFC 3550 §6.4.1).
                    _lastSenderReportCompact = NtpTimestamp.ToCompact(senderInfo.NtpTimestamp);
                    _lastSenderReportArrivalTicks = now;
                }

                for (int i = 0; i < packet.ReportBlockCount; i++)
                {
                    RtcpReportBlock block = packet.GetReportBlock(i);
                    if (block.Ssrc != Ssrc)
                    {
                        continue;
                    }

                    _remoteFractionLost = block.FractionLost;
                    _remoteCumulativeLost = block.CumulativeLost;
                    _remoteJitter = block.InterarrivalJitter;
                    if (RoundTripTime.TryCompute(arrivalCompact, block.LastSenderReport, block.DelaySinceLastSenderReport, out TimeSpan rtt))
                    {
                        _roundTripTime = rtt;
                    }
                }

                if (packet.Type == (byte)RtcpPacketType.Goodbye)
                {
                    for (int i = 0; i < packet.Count; i++)
                    {
                        uint source = packet.GetGoodbyeSource(i);
                        if (!_remoteGoodbye && (!knowRemote || source == remoteSsrc))
                        {
                            _remoteGoodbye = true;
                            goodbye = true;
                        }
                    }
                }
            }
        }

        if (goodbye)
        {
            if (_receivesByPolling && _goodbyeNotification is not null)
            {
                // Read on a media thread: the handler (likely to hang the call up) runs off it.
                ThreadPool.UnsafeQueueUserWorkItem(_goodbyeNotification, preferLocal: false);
            }
            else
            {
                RaiseRemoteGoodbyeNow();
            }
        }
    }

    internal void RaiseRemoteGoodbyeNow()
    {
        try
        {
            RemoteGoodbye?.Invoke(this);
        }
        catch (Exception)
        {
            // A handler's fault must not stop the receive path.
        }
    }

    private void ResetPlayout()
    {
        lock (_receiveLock)
        {
            _resources?.JitterBuffer.Reset();
        }
    }

    /// <summary>Points sends at where the peer's packet came from, reusing a preallocated address.</summary>
    private static SocketAddress Latch(SocketAddress from, SocketAddress current, SocketAddress? spare)
    {
        if (spare is null || from.Equals(current) || from.Family != current.Family)
        {
            return current;
        }

        from.Buffer.Span[..from.Size].CopyTo(spare.Buffer.Span);
        spare.Size = from.Size;
        return spare;
    }

    private uint ToTimestampUnits(long ticks)
    {
        if (ticks <= 0)
        {
            return 0;
        }

        long frequency = _time.TimestampFrequency;
        long seconds = Math.DivRem(ticks, frequency, out long remainder);
        return (uint)((seconds * ClockRate) + (remainder * ClockRate / frequency));
    }

    private void ReleaseResources()
    {
        if (Interlocked.Decrement(ref _resourceHolders) != 0)
        {
            return;
        }

        RtpStreamResources? resources;
        lock (_sendLock)
        {
            lock (_receiveLock)
            {
                resources = _resources;
                _resources = null;
            }
        }

        if (resources is not null)
        {
            _engine.ReturnResources(resources);
        }
    }
}
