using System.Net;
using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Dialogs;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Microsoft.Extensions.ObjectPool;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>
/// A SIP user agent (RFC 3261 §8, §12-§15): places calls through trunks and takes incoming ones,
/// on one UDP+TCP endpoint, one transaction layer and one timing wheel. This is the engine's call
/// API: <see cref="PlaceCall"/> returns a <see cref="SipCall"/> whose progress an
/// <see cref="ISipCallObserver"/> follows; <see cref="IncomingCalls"/> takes INVITEs.
/// </summary>
/// <remarks>
/// As the UAS core it answers what it does not serve: OPTIONS out of a dialog (200 with Allow),
/// requests for dialogs it does not know (481), stray ACKs (dropped). Everything is counted in
/// <see cref="Counters"/>.
/// </remarks>
public sealed class SipUserAgent : ISipRequestHandler, IDisposable
{
    private const int StripeCount = 16;

    private static readonly SipMethod[] s_allowedMethods =
        [SipMethod.Invite, SipMethod.Ack, SipMethod.Bye, SipMethod.Cancel, SipMethod.Options, SipMethod.Update, SipMethod.Info];

    private readonly SipUserAgentOptions _options;
    private readonly SipTransportLayer _transport;
    private readonly SipTransactionLayer _layer;
    private readonly TimingWheel _wheel;
    private readonly Lock[] _callLocks = new Lock[StripeCount];
    private readonly Dictionary<ulong, SipCall>[] _calls = new Dictionary<ulong, SipCall>[StripeCount];
    private readonly ObjectPool<SipDialog> _dialogPool;
    private readonly Lock _trunkLock = new();
    private readonly List<SipTrunk> _trunks = [];
    private readonly List<SipTrunkKeepAlive> _keepAlives = [];
    private int _disposed;

    /// <summary>Binds the transports and starts receiving.</summary>
    public SipUserAgent(SipUserAgentOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        Time = time ?? TimeProvider.System;
        Counters = new SipSignalingCounters();
        var transportOptions = new SipTransportOptions
        {
            ListenEndPoint = options.ListenEndPoint,
            EnableTcp = options.EnableTcp,
        };
        if (options.Transport is { } t)
        {
            transportOptions.UdpReceiveThreads = t.UdpReceiveThreads;
            transportOptions.UdpReceiveBufferBytes = t.UdpReceiveBufferBytes;
            transportOptions.MaxMessageSize = t.MaxMessageSize;
            transportOptions.TcpIdleTimeout = t.TcpIdleTimeout;
            transportOptions.TcpConnectTimeout = t.TcpConnectTimeout;
            transportOptions.MaxTcpConnections = t.MaxTcpConnections;
        }
        for (int i = 0; i < StripeCount; i++)
        {
            _callLocks[i] = new Lock();
            _calls[i] = new Dictionary<ulong, SipCall>();
        }
        _dialogPool = new DefaultObjectPool<SipDialog>(new DefaultPooledObjectPolicy<SipDialog>(), Math.Max(1, options.PoolCapacity));

        _wheel = new TimingWheel(Time);
        _transport = new SipTransportLayer(transportOptions, Time);
        try
        {
            IPEndPoint bound = _transport.LocalEndPoint;
            if (options.AdvertisedHost is null && (bound.Address.Equals(IPAddress.Any) || bound.Address.Equals(IPAddress.IPv6Any)))
                throw new ArgumentException("AdvertisedHost is required when listening on all addresses.", nameof(options));
            AdvertisedHost = options.AdvertisedHost ?? bound.Address.ToString();
            AdvertisedPort = options.AdvertisedPort ?? bound.Port;
            string uriHost = SipTrunks.UriHost(AdvertisedHost);
            ViaHost = Encoding.ASCII.GetBytes(uriHost);
            ContactUdp = Encoding.ASCII.GetBytes($"<sip:{options.ContactUser}@{uriHost}:{AdvertisedPort}>");
            ContactTcp = Encoding.ASCII.GetBytes($"<sip:{options.ContactUser}@{uriHost}:{AdvertisedPort};transport=tcp>");
            UserAgentHeader = options.UserAgentHeader is null ? null : Encoding.ASCII.GetBytes(options.UserAgentHeader);
            var transactionOptions = new SipTransactionOptions
            {
                Timers = options.Timers,
                TryingDelay = options.TryingDelay,
                PoolCapacity = options.PoolCapacity,
                Validation = new SipValidatorOptions
                {
                    AllowedMethods = s_allowedMethods,
                    SupportedOptionTags = ["timer"],
                    AcceptedContentTypes = ["application/sdp", "application/dtmf-relay", "application/dtmf"],
                },
            };
            _layer = new SipTransactionLayer(_transport, this, transactionOptions, Time, _wheel, Counters);
            _layer.Start();
        }
        catch
        {
            _transport.Dispose();
            _wheel.Dispose();
            throw;
        }
    }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Messages, drops, retransmissions, timeouts, auth retries, live transactions, dialogs and calls.</summary>
    public SipSignalingCounters Counters { get; }

    /// <summary>Socket-level counters (datagrams, connections).</summary>
    public SipTransportCounters TransportCounters => _transport.Counters;

    /// <summary>The bound UDP (and TCP) address.</summary>
    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    /// <summary>The host in our Via and Contact when a trunk sets none (and for incoming calls).</summary>
    public string AdvertisedHost { get; }

    /// <summary>The port in our Via and Contact.</summary>
    public int AdvertisedPort { get; }

    /// <summary>Takes incoming INVITEs; without one they are answered 480.</summary>
    public ISipIncomingCallHandler? IncomingCalls { get; set; }

    /// <summary>Sees every message sent and received (a SIP trace), or null.</summary>
    public ISipMessageTap? Tap
    {
        get => _transport.Tap;
        set => _transport.Tap = value;
    }

    /// <summary>The trunks added so far.</summary>
    public IReadOnlyList<SipTrunk> Trunks
    {
        get
        {
            lock (_trunkLock)
                return [.. _trunks];
        }
    }

    /// <summary>Calls not yet ended.</summary>
    public long ActiveCallCount => Counters.ActiveCalls;

    internal SipTransactionLayer Layer => _layer;

    internal TimingWheel Wheel => _wheel;

    internal SipTimers Timers => _options.Timers;

    internal SipUserAgentOptions Options => _options;

    internal SipIdGenerator Ids { get; } = new();

    internal byte[] ViaHost { get; }

    internal byte[] ContactUdp { get; }

    internal byte[] ContactTcp { get; }

    internal byte[]? UserAgentHeader { get; }

    /// <summary>Adds a trunk; with <see cref="SipTrunkOptions.KeepAliveInterval"/>, starts its OPTIONS keep-alive.</summary>
    public SipTrunk AddTrunk(SipTrunkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var trunk = new SipTrunk(options, AdvertisedHost, AdvertisedPort, _transport.SupportsTcp, _options.ContactUser, _options.Resolver, Time);
        lock (_trunkLock)
        {
            _trunks.Add(trunk);
            if (options.KeepAliveInterval is { } interval)
            {
                var keepAlive = new SipTrunkKeepAlive(this, trunk, interval);
                _keepAlives.Add(keepAlive);
                keepAlive.Start();
            }
        }
        return trunk;
    }

    /// <summary>
    /// Places a call: sends the INVITE through the request's trunk (after resolving it, for a named
    /// host) and returns at once. Progress and the outcome go to <paramref name="observer"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The request is invalid (see <see cref="SipCallRequest.Validate"/>).</exception>
    public SipCall PlaceCall(SipCallRequest request, ISipCallObserver observer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(observer);
        request.Validate();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var call = SipCall.CreateOutgoing(this, request, observer);
        Interlocked.Increment(ref Counters._callsPlaced);
        call.Launch();
        return call;
    }

    // ---- ISipRequestHandler ----

    void ISipRequestHandler.OnRequest(SipServerTransaction transaction, SipMessage request)
    {
        request.TryGetTo(out SipNameAddress to);
        if (to.HasTag)
        {
            SipCall? call = FindCall(to.Tag, request.CallId);
            if (call is null || !call.OnInDialogRequest(transaction, request))
            {
                // §12.2.2: a request for a dialog we do not have.
                Counters.Drop(SipDropReason.NoSuchDialog);
                transaction.Respond(481);
            }
            return;
        }

        switch (request.Method)
        {
            case SipMethod.Invite:
                AcceptIncoming(transaction, request);
                break;
            case SipMethod.Options:
                RespondToOptions(transaction);
                break;
            default:
                // BYE, INFO, UPDATE outside a dialog: there is no dialog they could belong to.
                Counters.Drop(SipDropReason.NoSuchDialog);
                transaction.Respond(481);
                break;
        }
    }

    void ISipRequestHandler.OnAck(SipMessage ack, in SipRemote remote)
    {
        if (ack.TryGetTo(out SipNameAddress to) && to.HasTag && FindCall(to.Tag, ack.CallId) is { } call)
        {
            call.OnAck(ack);
            return;
        }
        Counters.Drop(SipDropReason.StrayAck);
    }

    private void AcceptIncoming(SipServerTransaction transaction, SipMessage request)
    {
        ISipIncomingCallHandler? handler = IncomingCalls;
        if (handler is null || Volatile.Read(ref _disposed) != 0)
        {
            transaction.Respond(480, default, "No Incoming Calls Here"u8);
            return;
        }
        Interlocked.Increment(ref Counters._callsReceived);
        SipCall.AcceptIncoming(this, transaction, request, handler);
    }

    internal void RespondToOptions(SipServerTransaction transaction)
    {
        SipMessageBuffer buffer = transaction.RentBuffer();
        var writer = new SipMessageWriter(buffer);
        transaction.WriteResponseHead(ref writer, 200, default);
        writer.WriteHeader(SipHeaderId.Allow, _layer.AllowHeader);
        writer.WriteHeader(SipHeaderId.Accept, "application/sdp"u8);
        writer.WriteHeader(SipHeaderId.Supported, "timer"u8);
        if (UserAgentHeader is not null)
            writer.WriteHeader(SipHeaderId.Server, UserAgentHeader);
        writer.WriteEmptyBody();
        writer.Flush();
        transaction.SendResponse(buffer, 200);
    }

    // ---- calls and dialogs ----

    internal SipDialog RentDialog()
    {
        Interlocked.Increment(ref Counters._activeDialogs);
        return _dialogPool.Get();
    }

    internal void ReturnDialog(SipDialog dialog)
    {
        Interlocked.Decrement(ref Counters._activeDialogs);
        dialog.Reset();
        _dialogPool.Return(dialog);
    }

    internal void Register(ulong localTag, SipCall call)
    {
        int stripe = StripeOf(localTag);
        lock (_callLocks[stripe])
            _calls[stripe][localTag] = call;
        Interlocked.Increment(ref Counters._activeCalls);
    }

    internal void Unregister(ulong localTag, SipCall call)
    {
        int stripe = StripeOf(localTag);
        bool removed;
        lock (_callLocks[stripe])
            removed = _calls[stripe].Remove(localTag, out SipCall? found) && ReferenceEquals(found, call);
        if (removed)
            Interlocked.Decrement(ref Counters._activeCalls);
    }

    private SipCall? FindCall(ReadOnlySpan<byte> localTag, ReadOnlySpan<byte> callId)
    {
        if (!SipIdGenerator.TryReadTag(localTag, out ulong value))
            return null;
        int stripe = StripeOf(value);
        SipCall? call;
        lock (_callLocks[stripe])
            _calls[stripe].TryGetValue(value, out call);
        return call is not null && call.HasCallId(callId) ? call : null;
    }

    private static int StripeOf(ulong tag) => (int)(tag >> 32) & (StripeCount - 1);

    /// <summary>Ends every call (BYE or CANCEL where one is due), stops keep-alives, closes the sockets.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        lock (_trunkLock)
        {
            foreach (SipTrunkKeepAlive keepAlive in _keepAlives)
                keepAlive.Stop();
        }
        var calls = new List<SipCall>();
        for (int i = 0; i < StripeCount; i++)
        {
            lock (_callLocks[i])
                calls.AddRange(_calls[i].Values);
        }
        foreach (SipCall call in calls)
            call.Shutdown();
        _layer.Dispose();
        _transport.Dispose();
        _wheel.Dispose();
    }
}
