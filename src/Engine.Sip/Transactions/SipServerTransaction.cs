using System.Net;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// An INVITE server transaction (RFC 3261 §17.2.1 with RFC 6026 §7.1's Accepted state and Timer L)
/// or a non-INVITE server transaction (§17.2.2). Created by the <see cref="SipTransactionLayer"/>
/// for each new request; the TU answers through it and it absorbs retransmissions (resending the
/// last response), sends 100 Trying for a slow INVITE, retransmits a non-2xx final response over
/// UDP until the ACK (Timer G), and waits out the network (H, I, J, L).
/// </summary>
/// <remarks>
/// <see cref="Request"/> is the received message during <see cref="ISipRequestHandler.OnRequest"/>;
/// when the TU has not sent a final response by the time that returns, the transaction keeps its
/// own copy until it does. Pooled: a TU that keeps the transaction after OnRequest calls
/// <see cref="Retain"/> and later <see cref="Release"/>.
/// </remarks>
public sealed class SipServerTransaction : ITimerTarget
{
    private const int FailedTimer = 100;

    private readonly Lock _lock = new();
    private readonly SipSocketAddressSlot _destinationSlot = new();
    private byte[] _key = new byte[64];
    private int _sourcePort;
    private SipTransactionLayer? _layer;
    private SipMessage? _request;
    private SipMessage? _ownRequest;
    private SipMessageBuffer? _requestCopy;
    private SipMessageBuffer? _lastResponse;
    private SipDestination _destination;
    private TimerHandle _retransmitTimer;
    private TimerHandle _timeoutTimer;
    private TimerHandle _waitTimer;
    private TimerHandle _tryingTimer;
    private TimerHandle _failedTimer;
    private TimeSpan _interval;
    private int _references;
    private bool _provisionalSent;
    private volatile SipTransactionState _state;

    /// <summary>Unique per transaction for the life of the layer.</summary>
    public long Id { get; private set; }

    /// <summary>The request method (ACK never creates a transaction).</summary>
    public SipMethod Method { get; private set; }

    /// <summary>True for the INVITE machine.</summary>
    public bool IsInvite => Method == SipMethod.Invite;

    /// <summary>The current state.</summary>
    public SipTransactionState State => _state;

    /// <summary>The status of the last response sent, 0 before any.</summary>
    public int StatusCode { get; private set; }

    /// <summary>True once a final (200-699) response was sent.</summary>
    public bool HasFinalResponse => StatusCode >= 200;

    /// <summary>The request. Valid until the final response is sent.</summary>
    public SipMessage Request => _request ?? throw new InvalidOperationException("The request is no longer held.");

    /// <summary>The TU in charge, told about CANCEL, Timer H and transport errors.</summary>
    public ISipServerTransactionOwner? Owner { get; set; }

    /// <summary>Free for the owner's use.</summary>
    public object? OwnerState { get; set; }

    /// <summary>The transport the request came on.</summary>
    public SipTransportProtocol Protocol => _destination.Protocol;

    /// <summary>The source port of the request (its source IP is the one responses go to).</summary>
    public int SourcePort => _sourcePort;

    /// <summary>Where responses go (§18.2.2, RFC 3581).</summary>
    public SipDestination ResponseDestination => _destination;

    internal SipServerTransaction? NextSameHash { get; set; }

    internal int KeyHash { get; private set; }

    internal ReadOnlySpan<byte> Key => _key.AsSpan(0, _keyLength);

    private int _keyLength;

    internal void Initialize(SipTransactionLayer layer, long id, SipMessage request, in SipRemote remote, in SipDestination destination, ReadOnlySpan<byte> key, int keyHash)
    {
        _layer = layer;
        Id = id;
        Method = request.Method;
        _request = request;
        // Responses go to the source IP (§18.2.2), so the destination also says what "received" is.
        _sourcePort = SipSocketAddressSlot.GetPort(remote.Address);
        _destination = destination;
        if (_key.Length < key.Length)
            _key = new byte[Math.Max(key.Length, _key.Length * 2)];
        key.CopyTo(_key);
        _keyLength = key.Length;
        KeyHash = keyHash;
        StatusCode = 0;
        _provisionalSent = false;
        _state = IsInvite ? SipTransactionState.Proceeding : SipTransactionState.Trying;
        _references = 1;
    }

    /// <summary>A buffer from the layer's pool to write a response into.</summary>
    public SipMessageBuffer RentBuffer() => (_layer ?? throw new InvalidOperationException("The transaction has ended.")).RentBuffer();

    /// <summary>
    /// Writes the status line and the headers copied from the request (§8.2.6.2), with received
    /// and rport in the top Via and <paramref name="toTag"/> added to To. The caller adds its own
    /// headers and ends with a body.
    /// </summary>
    public void WriteResponseHead(ref SipMessageWriter writer, int statusCode, scoped ReadOnlySpan<byte> toTag,
        scoped ReadOnlySpan<byte> reasonPhrase = default, bool copyRecordRoute = false)
    {
        SocketAddress source = _destinationSlot.Address ?? throw new InvalidOperationException("The transaction has ended.");
        SipResponseRouting.WriteHead(ref writer, Request, statusCode, reasonPhrase, toTag, copyRecordRoute, source, _sourcePort);
    }

    /// <summary>Sends a response with no body and no headers beyond the copied ones.</summary>
    public bool Respond(int statusCode, scoped ReadOnlySpan<byte> toTag = default, scoped ReadOnlySpan<byte> reasonPhrase = default)
    {
        SipMessageBuffer buffer = RentBuffer();
        var writer = new SipMessageWriter(buffer);
        WriteResponseHead(ref writer, statusCode, toTag, reasonPhrase);
        writer.WriteEmptyBody();
        writer.Flush();
        return SendResponse(buffer, statusCode);
    }

    /// <summary>
    /// Sends a response the caller wrote into <paramref name="response"/> (a buffer from
    /// <see cref="RentBuffer"/>, which the transaction now owns). Returns false when the transaction
    /// cannot send it (a final response was already sent, or it has ended).
    /// </summary>
    public bool SendResponse(SipMessageBuffer response, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(response);
        return Send(response.WrittenSpan, response, statusCode);
    }

    /// <summary>
    /// Sends a response held by the caller; the transaction copies it when it must keep it for
    /// retransmission (provisional and non-2xx final responses). A TU that retransmits its own 2xx
    /// (RFC 3261 §13.3.1.4) keeps its buffer and sends it through here.
    /// </summary>
    public bool SendResponse(ReadOnlySpan<byte> response, int statusCode) => Send(response, null, statusCode);

    private bool Send(ReadOnlySpan<byte> bytes, SipMessageBuffer? owned, int statusCode)
    {
        if (statusCode is < 100 or > 699)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A status code is 100-699.");
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return false;
        bool sent = false;
        lock (_lock)
        {
            switch (_state)
            {
                case SipTransactionState.Trying:
                case SipTransactionState.Proceeding:
                    sent = true;
                    StatusCode = statusCode;
                    CancelTimer(layer, ref _tryingTimer);
                    // State and timers first, then the wire: whoever sees the response sees them running.
                    if (statusCode < 200)
                    {
                        _state = SipTransactionState.Proceeding;
                        _provisionalSent = true;
                        Keep(layer, bytes, ref owned);
                    }
                    else if (IsInvite && statusCode < 300)
                    {
                        // RFC 6026 §7.1: Accepted. The TU retransmits the 2xx itself until the ACK
                        // (§13.3.1.4); the transaction absorbs INVITE retransmissions meanwhile.
                        _state = SipTransactionState.Accepted;
                        DropResponse(layer);
                        _waitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.L, layer.Timers.TimerL);
                    }
                    else if (IsInvite)
                    {
                        _state = SipTransactionState.Completed;
                        Keep(layer, bytes, ref owned);
                        if (!_destination.IsReliable)
                        {
                            _interval = layer.Timers.TimerG;
                            _retransmitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.G, _interval);
                        }
                        _timeoutTimer = layer.Wheel.Schedule(this, SipTransactionTimer.H, layer.Timers.TimerH);
                    }
                    else
                    {
                        _state = SipTransactionState.Completed;
                        Keep(layer, bytes, ref owned);
                        _waitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.J, layer.Timers.TimerJ(_destination.IsReliable));
                    }
                    SendLocked(layer, bytes, statusCode);
                    if (statusCode >= 200)
                        ReleaseRequest(layer);
                    break;

                case SipTransactionState.Accepted when statusCode is >= 200 and < 300:
                    // RFC 6026 §7.1: a 2xx from the TU in Accepted is passed to the transport.
                    sent = true;
                    layer.Send(bytes, _destination);
                    break;
            }
        }
        if (owned is not null)
            layer.ReturnBuffer(owned);
        return sent;
    }

    /// <summary>
    /// Keeps the transaction (and its request) after <see cref="ISipRequestHandler.OnRequest"/>
    /// returns. Call it before handing the transaction to another thread: the request is copied
    /// out of the receive buffer here, so that thread never reads a buffer being reused.
    /// </summary>
    public void Retain()
    {
        Interlocked.Increment(ref _references);
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        lock (_lock)
        {
            if (_ownRequest is null && _request is not null && _state is SipTransactionState.Trying or SipTransactionState.Proceeding)
                CopyRequestLocked(layer, _request);
        }
    }

    /// <summary>Ends a <see cref="Retain"/>; the transaction is reused once also terminated.</summary>
    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
            _layer?.Recycle(this);
        else if (left < 0)
            throw new InvalidOperationException("The transaction was released more often than it was held.");
    }

    internal bool IsRetained => Volatile.Read(ref _references) > 1;

    internal void StartTryingTimer(TimeSpan delay)
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        lock (_lock)
        {
            if (_state == SipTransactionState.Proceeding && !_provisionalSent && !_tryingTimer.IsAllocated)
                _tryingTimer = layer.Wheel.Schedule(this, SipTransactionTimer.Trying, delay);
        }
    }

    /// <summary>Called once the TU's OnRequest returned: keep a copy of the request while it is still needed.</summary>
    internal void DetachFromReceiveBuffer(SipMessage received)
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        lock (_lock)
        {
            if (!ReferenceEquals(_request, received))
                return;
            if (_state is not (SipTransactionState.Trying or SipTransactionState.Proceeding))
            {
                _request = null;
                return;
            }
            CopyRequestLocked(layer, received);
        }
    }

    private void CopyRequestLocked(SipTransactionLayer layer, SipMessage received)
    {
        _requestCopy = layer.RentBuffer(received.Length);
        _requestCopy.CopyFrom(received.Span.Slice(0, received.Length));
        _ownRequest = layer.RentMessage();
        _request = _ownRequest.Parse(_requestCopy.WrittenMemory).IsSuccess ? _ownRequest : null;
    }

    internal void OnRetransmittedRequest(long expectedId)
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        lock (_lock)
        {
            if (Id != expectedId)
                return;
            Interlocked.Increment(ref layer.Counters._retransmissionsReceived);
            if (_lastResponse is not null && _state is SipTransactionState.Proceeding or SipTransactionState.Completed)
            {
                layer.Send(_lastResponse.WrittenSpan, _destination);
                Interlocked.Increment(ref layer.Counters._retransmissionsSent);
            }
        }
    }

    /// <summary>An ACK matched this transaction. Returns true when the TU should see it (RFC 6026 Accepted).</summary>
    internal bool OnAck(long expectedId)
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return true;
        lock (_lock)
        {
            if (Id != expectedId)
                return true;
            switch (_state)
            {
                case SipTransactionState.Completed:
                    // §17.2.1: Confirmed; Timer I absorbs ACK retransmissions.
                    CancelTimer(layer, ref _retransmitTimer);
                    CancelTimer(layer, ref _timeoutTimer);
                    DropResponse(layer);
                    _state = SipTransactionState.Confirmed;
                    _waitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.I, layer.Timers.TimerI(_destination.IsReliable));
                    return false;
                case SipTransactionState.Accepted:
                    return true;
                default:
                    Interlocked.Increment(ref layer.Counters._retransmissionsReceived);
                    return false;
            }
        }
    }

    internal void OnTransportFailure()
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        lock (_lock)
        {
            if (_state != SipTransactionState.Terminated && !_failedTimer.IsAllocated)
                _failedTimer = layer.Wheel.Schedule(this, FailedTimer, TimeSpan.Zero);
        }
    }

    /// <inheritdoc/>
    void ITimerTarget.OnTimer(int kind, TimerHandle handle)
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        bool terminated = false, timedOut = false, failed = false;
        ISipServerTransactionOwner? owner = null;
        lock (_lock)
        {
            switch (kind)
            {
                case SipTransactionTimer.Trying when handle == _tryingTimer:
                    _tryingTimer = default;
                    if (_state == SipTransactionState.Proceeding && !_provisionalSent && _request is not null)
                        SendTryingLocked(layer);
                    break;
                case SipTransactionTimer.G when handle == _retransmitTimer && _state == SipTransactionState.Completed:
                    if (_lastResponse is not null)
                    {
                        layer.Send(_lastResponse.WrittenSpan, _destination);
                        Interlocked.Increment(ref layer.Counters._retransmissionsSent);
                    }
                    _interval = layer.Timers.NextTimerG(_interval);
                    _retransmitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.G, _interval);
                    break;
                case SipTransactionTimer.H when handle == _timeoutTimer && _state == SipTransactionState.Completed:
                    _timeoutTimer = default;
                    timedOut = terminated = TerminateLocked();
                    owner = Owner;
                    break;
                case SipTransactionTimer.I or SipTransactionTimer.J or SipTransactionTimer.L when handle == _waitTimer:
                    _waitTimer = default;
                    terminated = TerminateLocked();
                    break;
                case FailedTimer when handle == _failedTimer:
                    _failedTimer = default;
                    failed = terminated = TerminateLocked();
                    owner = Owner;
                    break;
            }
        }
        if (!terminated)
            return;
        if (timedOut)
            Interlocked.Increment(ref layer.Counters._transactionTimeouts);
        if (failed)
            Interlocked.Increment(ref layer.Counters._transportErrors);
        // The owner hears of it while the transaction is still whole (its Id and OwnerState
        // intact); only then does the layer let it go, which may recycle it.
        try
        {
            if (timedOut)
                owner?.OnTimeout(this);
            else if (failed)
                owner?.OnTransportError(this);
        }
        finally
        {
            layer.OnTerminated(this);
        }
    }

    internal void SendTryingNow()
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        lock (_lock)
        {
            if (_state == SipTransactionState.Proceeding && !_provisionalSent && _request is not null)
                SendTryingLocked(layer);
        }
    }

    internal bool HasDestination(SipTransportProtocol protocol, SocketAddress address) =>
        _destination.IsValid && _destination.Protocol == protocol && _destination.Address.Equals(address);

    internal void ResetForPool()
    {
        _layer = null;
        Owner = null;
        OwnerState = null;
        NextSameHash = null;
        _request = null;
        _ownRequest = null;
        _requestCopy = null;
        _lastResponse = null;
        _destination = default;
        _destinationSlot.Clear();
        _keyLength = 0;
        _retransmitTimer = _timeoutTimer = _waitTimer = _tryingTimer = _failedTimer = default;
        _state = SipTransactionState.Terminated;
    }

    internal SipSocketAddressSlot DestinationSlot => _destinationSlot;

    private void SendTryingLocked(SipTransactionLayer layer)
    {
        // §8.2.6.1: 100 Trying copies the request's headers and has no To tag.
        SipMessageBuffer buffer = layer.RentBuffer();
        var writer = new SipMessageWriter(buffer);
        SipResponseRouting.WriteHead(ref writer, _request!, 100, default, default, false, _destinationSlot.Address!, _sourcePort);
        writer.WriteEmptyBody();
        writer.Flush();
        StatusCode = 100;
        _provisionalSent = true;
        SendLocked(layer, buffer.WrittenSpan, 100);
        SipMessageBuffer? owned = buffer;
        Keep(layer, buffer.WrittenSpan, ref owned);
        if (owned is not null)
            layer.ReturnBuffer(owned);
    }

    private void SendLocked(SipTransactionLayer layer, ReadOnlySpan<byte> response, int statusCode)
    {
        layer.Counters.ResponseSent(statusCode);
        if (!layer.Send(response, _destination) && _destination.IsReliable && !_failedTimer.IsAllocated)
            _failedTimer = layer.Wheel.Schedule(this, FailedTimer, TimeSpan.Zero);
    }

    // Keeps the response for retransmission: the caller's buffer when it handed one over (which
    // then no longer needs returning), a copy otherwise.
    private void Keep(SipTransactionLayer layer, ReadOnlySpan<byte> response, ref SipMessageBuffer? owned)
    {
        SipMessageBuffer kept;
        if (owned is not null && (owned.Capacity <= SipMessageBuffer.SmallCapacity || response.Length > SipMessageBuffer.SmallCapacity))
        {
            // The caller's buffer is already the right size class: keep it as it is.
            kept = owned;
            owned = null;
        }
        else
        {
            // A copy in the smallest buffer that holds it; the caller's (large) buffer goes back.
            kept = layer.Keep(response);
        }
        if (_lastResponse is not null)
            layer.ReturnBuffer(_lastResponse);
        _lastResponse = kept;
    }

    private void DropResponse(SipTransactionLayer layer)
    {
        if (_lastResponse is not null)
        {
            layer.ReturnBuffer(_lastResponse);
            _lastResponse = null;
        }
    }

    private void ReleaseRequest(SipTransactionLayer layer)
    {
        if (_ownRequest is not null)
        {
            layer.ReturnMessage(_ownRequest);
            _ownRequest = null;
            _request = null;
        }
        // Without a copy, _request is the received message: readable until OnRequest returns.
        if (_requestCopy is not null)
        {
            layer.ReturnBuffer(_requestCopy);
            _requestCopy = null;
        }
    }

    private bool TerminateLocked()
    {
        if (_state == SipTransactionState.Terminated)
            return false;
        _state = SipTransactionState.Terminated;
        SipTransactionLayer? layer = _layer;
        if (layer is not null)
        {
            CancelTimer(layer, ref _retransmitTimer);
            CancelTimer(layer, ref _timeoutTimer);
            CancelTimer(layer, ref _waitTimer);
            CancelTimer(layer, ref _tryingTimer);
            CancelTimer(layer, ref _failedTimer);
            DropResponse(layer);
            ReleaseRequest(layer);
        }
        return true;
    }

    private static void CancelTimer(SipTransactionLayer layer, ref TimerHandle handle)
    {
        if (handle.IsAllocated)
            layer.Wheel.Cancel(handle);
        handle = default;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Method} server transaction #{Id} {State}";
}
