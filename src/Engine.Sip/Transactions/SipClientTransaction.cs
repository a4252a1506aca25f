using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// An INVITE client transaction (RFC 3261 §17.1.1 with RFC 6026 §8.4's Accepted state and Timer M)
/// or a non-INVITE client transaction (§17.1.2). Pooled: get one from
/// <see cref="SipTransactionLayer.CreateClientTransaction"/>, write the request into
/// <see cref="RequestBuffer"/> with <see cref="Branch"/> in its top Via, call <see cref="Start"/>,
/// and <see cref="Release"/> it when the owner no longer needs to act on it.
/// </summary>
/// <remarks>
/// Retransmission timers (A, E) run only over unreliable transports (§17.1.1.2, §17.1.2.2); the
/// wait states (D, K) last zero on reliable ones. The owner is called outside the transaction's
/// lock. Identity: <see cref="Id"/> is unique for the life of the layer, so an owner that compares
/// ids is never confused by a pooled instance that now serves another request.
/// </remarks>
public sealed class SipClientTransaction : ITimerTarget
{
    private const int FailedTimer = 100;

    private readonly Lock _lock = new();
    private readonly SipSocketAddressSlot _address = new();
    private readonly byte[] _branch = new byte[SipBranch.Length];
    private SipTransactionLayer? _layer;
    private SipMessageBuffer? _message;
    private SipDestination _destination;
    private TimerHandle _retransmitTimer;
    private TimerHandle _timeoutTimer;
    private TimerHandle _waitTimer;
    private TimerHandle _failedTimer;
    private TimeSpan _interval;
    private int _references;
    private volatile SipTransactionState _state;

    /// <summary>Unique per transaction for the life of the layer (also its table key).</summary>
    public long Id { get; private set; }

    /// <summary>The request method (INVITE, CANCEL, BYE...).</summary>
    public SipMethod Method { get; private set; }

    /// <summary>True for the INVITE machine.</summary>
    public bool IsInvite => Method == SipMethod.Invite;

    /// <summary>The current state.</summary>
    public SipTransactionState State => _state;

    /// <summary>The status code of the last response received, 0 before any.</summary>
    public int LastStatusCode { get; private set; }

    /// <summary>The owner told about responses and failures.</summary>
    public ISipClientTransactionOwner? Owner { get; private set; }

    /// <summary>Free for the owner's use (e.g. which dialog this request belongs to).</summary>
    public object? OwnerState { get; set; }

    /// <summary>The branch to put in the top Via of the request (RFC 3261 §8.1.1.7).</summary>
    public ReadOnlySpan<byte> Branch => _branch;

    /// <summary>Where the request goes.</summary>
    public SipDestination Destination => _destination;

    /// <summary>The request bytes: write the request here before <see cref="Start"/>.</summary>
    public SipMessageBuffer RequestBuffer => _message ?? throw new InvalidOperationException("The transaction holds no request.");

    internal ulong BranchValue { get; private set; }

    internal void Initialize(SipTransactionLayer layer, long id, ulong branchValue, SipMethod method, in SipDestination destination, ISipClientTransactionOwner? owner, SipMessageBuffer buffer)
    {
        _layer = layer;
        Id = id;
        BranchValue = branchValue;
        Method = method;
        Owner = owner;
        _message = buffer;
        SipBranch.Write(_branch, branchValue);
        SocketAddressCopy(destination);
        _state = SipTransactionState.Created;
        LastStatusCode = 0;
        // One reference for the layer (until terminated), one for the owner (until released).
        _references = 2;
    }

    private void SocketAddressCopy(in SipDestination destination)
    {
        var address = _address.Store(destination.Address);
        _destination = new SipDestination(destination.Protocol, address, destination.Connection);
    }

    /// <summary>Sends the request and starts the timers (Calling for INVITE, Trying otherwise).</summary>
    public void Start()
    {
        SipTransactionLayer layer = _layer ?? throw new InvalidOperationException("The transaction is not initialised.");
        lock (_lock)
        {
            if (_state != SipTransactionState.Created)
                throw new InvalidOperationException("The transaction was already started.");
            if (_message is null || _message.Length == 0)
                throw new InvalidOperationException("Write the request into RequestBuffer before starting.");
            _state = IsInvite ? SipTransactionState.Calling : SipTransactionState.Trying;
            SipTimers timers = layer.Timers;
            if (!_destination.IsReliable)
            {
                _interval = IsInvite ? timers.TimerA : timers.TimerE;
                _retransmitTimer = layer.Wheel.Schedule(this, IsInvite ? SipTransactionTimer.A : SipTransactionTimer.E, _interval);
            }
            _timeoutTimer = layer.Wheel.Schedule(this, IsInvite ? SipTransactionTimer.B : SipTransactionTimer.F, IsInvite ? timers.TimerB : timers.TimerF);
            layer.Counters.RequestSent(Method);
            if (!layer.Send(_message.WrittenSpan, _destination))
                ScheduleFailureLocked(layer);
        }
    }

    /// <summary>
    /// Ends the transaction now without telling the owner: for an INVITE left in Proceeding after
    /// its CANCEL went unanswered (RFC 3261 §9.1: after 64*T1 the UAC considers it timed out).
    /// </summary>
    public void Abandon()
    {
        bool terminated;
        lock (_lock)
            terminated = TerminateLocked();
        if (terminated)
            _layer?.OnTerminated(this);
    }

    /// <summary>Gives up the owner's hold on the transaction; it is reused once also terminated.</summary>
    public void Release()
    {
        if (_state == SipTransactionState.Created)
            Abandon();
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
            _layer?.Recycle(this);
        else if (left < 0)
            throw new InvalidOperationException("The transaction was released more often than it was held.");
    }

    internal SipMessageBuffer? MessageForCancel()
    {
        lock (_lock)
            return _state == SipTransactionState.Proceeding ? _message : null;
    }

    internal void OnResponse(SipMessage response, long expectedId)
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        int status = response.StatusCode;
        bool passUp = false;
        ISipClientTransactionOwner? owner;
        lock (_lock)
        {
            // Found in the table, then recycled for another request before we got here: not ours.
            if (Id != expectedId)
                return;
            owner = Owner;
            switch (_state)
            {
                case SipTransactionState.Calling:
                case SipTransactionState.Trying:
                case SipTransactionState.Proceeding:
                    LastStatusCode = status;
                    passUp = true;
                    if (status < 200)
                    {
                        if (_state == SipTransactionState.Calling)
                        {
                            // Leaving Calling: A and B no longer apply (§17.1.1.2).
                            CancelTimer(layer, ref _retransmitTimer);
                            CancelTimer(layer, ref _timeoutTimer);
                        }
                        _state = SipTransactionState.Proceeding;
                    }
                    else if (IsInvite && status < 300)
                    {
                        // RFC 6026 §8.4: Accepted, so that 2xx retransmissions and forks reach the TU.
                        CancelTimer(layer, ref _retransmitTimer);
                        CancelTimer(layer, ref _timeoutTimer);
                        _state = SipTransactionState.Accepted;
                        ReturnMessage(layer);
                        _waitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.M, layer.Timers.TimerM);
                    }
                    else if (IsInvite)
                    {
                        CancelTimer(layer, ref _retransmitTimer);
                        CancelTimer(layer, ref _timeoutTimer);
                        _state = SipTransactionState.Completed;
                        // State and timer first, then the wire: whoever sees the ACK sees Timer D running.
                        _waitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.D, layer.Timers.TimerD(_destination.IsReliable));
                        BuildAndSendAck(layer, response);
                    }
                    else
                    {
                        CancelTimer(layer, ref _retransmitTimer);
                        CancelTimer(layer, ref _timeoutTimer);
                        _state = SipTransactionState.Completed;
                        ReturnMessage(layer);
                        _waitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.K, layer.Timers.TimerK(_destination.IsReliable));
                    }
                    break;

                case SipTransactionState.Accepted:
                    // Retransmitted 2xx, or a 2xx from another fork: the TU ACKs each (§13.2.2.4).
                    if (status is >= 200 and < 300)
                    {
                        passUp = true;
                        Interlocked.Increment(ref layer.Counters._retransmissionsReceived);
                    }
                    break;

                case SipTransactionState.Completed:
                    Interlocked.Increment(ref layer.Counters._retransmissionsReceived);
                    if (IsInvite && status >= 300 && _message is not null)
                    {
                        // §17.1.1.2: each retransmission of the final response gets the ACK again.
                        layer.Send(_message.WrittenSpan, _destination);
                        Interlocked.Increment(ref layer.Counters._retransmissionsSent);
                    }
                    break;
            }
        }
        if (passUp)
            owner?.OnResponse(this, response);
    }

    internal void OnTransportFailure()
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        lock (_lock)
        {
            if (_state is SipTransactionState.Calling or SipTransactionState.Trying or SipTransactionState.Proceeding)
                ScheduleFailureLocked(layer);
        }
    }

    /// <inheritdoc/>
    void ITimerTarget.OnTimer(int kind, TimerHandle handle)
    {
        SipTransactionLayer? layer = _layer;
        if (layer is null)
            return;
        bool terminated = false;
        ISipClientTransactionOwner? owner = null;
        bool timedOut = false, failed = false;
        lock (_lock)
        {
            switch (kind)
            {
                case SipTransactionTimer.A when handle == _retransmitTimer && _state == SipTransactionState.Calling:
                    Retransmit(layer);
                    _interval = layer.Timers.NextTimerA(_interval);
                    _retransmitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.A, _interval);
                    break;
                case SipTransactionTimer.E when handle == _retransmitTimer && _state is SipTransactionState.Trying or SipTransactionState.Proceeding:
                    Retransmit(layer);
                    // §17.1.2.2: doubling up to T2 in Trying, T2 each time in Proceeding.
                    _interval = _state == SipTransactionState.Trying ? layer.Timers.NextTimerE(_interval) : layer.Timers.T2;
                    _retransmitTimer = layer.Wheel.Schedule(this, SipTransactionTimer.E, _interval);
                    break;
                case SipTransactionTimer.B when handle == _timeoutTimer && _state == SipTransactionState.Calling:
                case SipTransactionTimer.F when handle == _timeoutTimer && _state is SipTransactionState.Trying or SipTransactionState.Proceeding:
                    _timeoutTimer = default;
                    timedOut = terminated = TerminateLocked();
                    owner = Owner;
                    break;
                case SipTransactionTimer.D or SipTransactionTimer.K or SipTransactionTimer.M when handle == _waitTimer:
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

    internal void ResetForPool()
    {
        _layer = null;
        Owner = null;
        OwnerState = null;
        _message = null;
        _destination = default;
        _address.Clear();
        _retransmitTimer = _timeoutTimer = _waitTimer = _failedTimer = default;
        _state = SipTransactionState.Terminated;
    }

    internal SipMessageBuffer? TakeMessage()
    {
        SipMessageBuffer? message = _message;
        _message = null;
        return message;
    }

    internal bool HasDestination(SipTransportProtocol protocol, System.Net.SocketAddress address) =>
        _destination.IsValid && _destination.Protocol == protocol && _destination.Address.Equals(address);

    private void Retransmit(SipTransactionLayer layer)
    {
        if (_message is null)
            return;
        layer.Send(_message.WrittenSpan, _destination);
        Interlocked.Increment(ref layer.Counters._retransmissionsSent);
    }

    private void BuildAndSendAck(SipTransactionLayer layer, SipMessage response)
    {
        if (_message is null)
            return;
        SipMessageBuffer ack = layer.RentBuffer();
        SipMessage invite = SipTransactionLayer.ScratchMessage;
        if (!invite.Parse(_message.WrittenMemory).IsSuccess)
        {
            layer.ReturnBuffer(ack);
            return;
        }
        // §17.1.1.3: built from the INVITE (Request-URI, top Via, From, Call-ID, Route) and the response's To.
        var writer = new SipMessageWriter(ack);
        writer.WriteAckForNon2xx(invite, response);
        writer.WriteEmptyBody();
        writer.Flush();
        invite.Reset();
        layer.ReturnBuffer(_message);
        // Kept until Timer D (32 s): a small copy when it fits.
        _message = layer.Keep(ack.WrittenSpan);
        layer.ReturnBuffer(ack);
        ack = _message;
        layer.Counters.RequestSent(SipMethod.Ack);
        layer.Send(ack.WrittenSpan, _destination);
    }

    private void ReturnMessage(SipTransactionLayer layer)
    {
        if (_message is not null)
        {
            layer.ReturnBuffer(_message);
            _message = null;
        }
    }

    private void ScheduleFailureLocked(SipTransactionLayer layer)
    {
        // Reported from the wheel's thread: the caller of Start (or of Send) may hold its own
        // locks, and learning of the failure re-entrantly would surprise it.
        if (!_failedTimer.IsAllocated || !layer.Wheel.IsPending(_failedTimer))
            _failedTimer = layer.Wheel.Schedule(this, FailedTimer, TimeSpan.Zero);
    }

    private bool TerminateLocked()
    {
        if (_state == SipTransactionState.Terminated)
            return false;
        SipTransactionLayer? layer = _layer;
        _state = SipTransactionState.Terminated;
        if (layer is not null)
        {
            CancelTimer(layer, ref _retransmitTimer);
            CancelTimer(layer, ref _timeoutTimer);
            CancelTimer(layer, ref _waitTimer);
            CancelTimer(layer, ref _failedTimer);
            ReturnMessage(layer);
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
    public override string ToString() => $"{Method} client transaction #{Id} {State}";
}
