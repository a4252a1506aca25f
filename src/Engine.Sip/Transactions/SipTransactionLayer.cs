using System.Net;
using System.Security.Cryptography;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transport;
using Microsoft.Extensions.ObjectPool;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// The transaction layer of RFC 3261 §17: turns what the transports receive into transaction
/// events and new requests for the TU, and keeps every client and server transaction of one
/// endpoint in two tables and their timers on one <see cref="TimingWheel"/>.
/// </summary>
/// <remarks>
/// <para>Receive path, per message: parse into a per-thread <see cref="SipMessage"/>; check it with
/// <see cref="SipMessageValidator"/> and answer a bad request statelessly (400, 405 with Allow,
/// 415, 416, 420 with Unsupported, 501, 505...); match a response to its client transaction by
/// our branch number and CSeq method (§17.1.3), dropping it when none matches (§18.1.2); match a
/// request to its server transaction by branch, sent-by and method, ACK and CANCEL matching their
/// INVITE (§17.2.3, §9.2). Everything that does not fit is counted in <see cref="Counters"/>.</para>
/// <para>Transactions, their buffers and the messages they keep are pooled: in steady state the
/// receive path and a transaction's life allocate nothing.</para>
/// </remarks>
public sealed class SipTransactionLayer : ISipTransportReceiver, IDisposable
{
    private const int StripeCount = 16;

    [ThreadStatic] private static SipMessage? t_received;
    [ThreadStatic] private static SipMessage? t_scratch;
    [ThreadStatic] private static SipMessageBuffer? t_buffer;
    [ThreadStatic] private static SipSocketAddressSlot? t_slot;

    private readonly SipTransportLayer _transport;
    private readonly ISipRequestHandler _handler;
    private readonly SipTransactionOptions _options;
    private readonly SipMessageValidator _validator;
    private readonly byte[] _allowHeader;
    private readonly bool _ownsWheel;
    private readonly ulong _branchSalt;
    private readonly Lock[] _clientLocks = new Lock[StripeCount];
    private readonly Dictionary<long, SipClientTransaction>[] _clients = new Dictionary<long, SipClientTransaction>[StripeCount];
    private readonly Lock[] _serverLocks = new Lock[StripeCount];
    private readonly Dictionary<int, SipServerTransaction>[] _servers = new Dictionary<int, SipServerTransaction>[StripeCount];
    private readonly ObjectPool<SipClientTransaction> _clientPool;
    private readonly ObjectPool<SipServerTransaction> _serverPool;
    private readonly ObjectPool<SipMessageBuffer> _bufferPool;
    private readonly ObjectPool<SipMessageBuffer> _smallBufferPool;
    private readonly ObjectPool<SipMessage> _messagePool;
    private long _nextId;
    private int _disposed;

    /// <param name="transport">The transports; the layer becomes their receiver on <see cref="Start"/>.</param>
    /// <param name="handler">The TU for new requests and 2xx ACKs.</param>
    /// <param name="options">Timers, validation and pool settings; defaults when null.</param>
    /// <param name="time">The clock; the system clock when null.</param>
    /// <param name="wheel">A timing wheel to share; the layer makes (and disposes) its own when null.</param>
    /// <param name="counters">Counters to share with the TU; new ones when null.</param>
    public SipTransactionLayer(
        SipTransportLayer transport,
        ISipRequestHandler handler,
        SipTransactionOptions? options = null,
        TimeProvider? time = null,
        TimingWheel? wheel = null,
        SipSignalingCounters? counters = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        _options = options ?? new SipTransactionOptions();
        _options.Validate();
        Time = time ?? TimeProvider.System;
        _ownsWheel = wheel is null;
        Wheel = wheel ?? new TimingWheel(Time);
        Counters = counters ?? new SipSignalingCounters();
        _validator = new SipMessageValidator(_options.Validation);
        _allowHeader = System.Text.Encoding.ASCII.GetBytes(_options.AllowHeader);
        Span<byte> salt = stackalloc byte[8];
        RandomNumberGenerator.Fill(salt);
        _branchSalt = BitConverter.ToUInt64(salt);
        for (int i = 0; i < StripeCount; i++)
        {
            _clientLocks[i] = new Lock();
            _clients[i] = new Dictionary<long, SipClientTransaction>();
            _serverLocks[i] = new Lock();
            _servers[i] = new Dictionary<int, SipServerTransaction>();
        }
        int capacity = Math.Max(1, _options.PoolCapacity);
        _clientPool = new DefaultObjectPool<SipClientTransaction>(new DefaultPooledObjectPolicy<SipClientTransaction>(), capacity);
        _serverPool = new DefaultObjectPool<SipServerTransaction>(new DefaultPooledObjectPolicy<SipServerTransaction>(), capacity);
        _bufferPool = new DefaultObjectPool<SipMessageBuffer>(new DefaultPooledObjectPolicy<SipMessageBuffer>(), capacity);
        _smallBufferPool = new DefaultObjectPool<SipMessageBuffer>(new SmallBufferPolicy(), capacity);
        int maxHeaders = _options.MaxHeaders;
        _messagePool = new DefaultObjectPool<SipMessage>(new SipMessagePoolPolicy(maxHeaders), capacity);
    }

    /// <summary>The timer values in use.</summary>
    public SipTimers Timers => _options.Timers;

    /// <summary>The one timing wheel of every transaction (and of the TU, which may share it).</summary>
    public TimingWheel Wheel { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Message, drop and transaction counters.</summary>
    public SipSignalingCounters Counters { get; }

    /// <summary>The transports.</summary>
    public SipTransportLayer Transport => _transport;

    /// <summary>The Allow header value (RFC 3261 §20.5) for the TU's own messages.</summary>
    public ReadOnlySpan<byte> AllowHeader => _allowHeader;

    /// <summary>Client transactions alive now.</summary>
    public long ClientTransactionCount => Counters.ActiveClientTransactions;

    /// <summary>Server transactions alive now.</summary>
    public long ServerTransactionCount => Counters.ActiveServerTransactions;

    internal static SipMessage ScratchMessage => t_scratch ??= new SipMessage();

    /// <summary>Starts receiving from the transports.</summary>
    public void Start() => _transport.Start(this);

    /// <summary>
    /// A new client transaction for a request to <paramref name="destination"/>: write the request
    /// into its <see cref="SipClientTransaction.RequestBuffer"/> with its branch in the top Via,
    /// then <see cref="SipClientTransaction.Start"/> it.
    /// </summary>
    public SipClientTransaction CreateClientTransaction(SipMethod method, in SipDestination destination, ISipClientTransactionOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (method is SipMethod.Ack or SipMethod.Extension)
            throw new ArgumentException("ACK is sent without a transaction; extension methods are not sent.", nameof(method));
        if (!destination.IsValid)
            throw new ArgumentException("The destination has no address.", nameof(destination));
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        long number = Interlocked.Increment(ref _nextId);
        // CANCEL shares its INVITE's branch; every other request gets a branch of its own, and the
        // table key tells the CANCEL from the INVITE by its low bit.
        long key = number * 2;
        return Register(key, (ulong)number ^ _branchSalt, method, destination, owner);
    }

    /// <summary>
    /// Sends a CANCEL for <paramref name="invite"/> (RFC 3261 §9.1): same Request-URI, Call-ID, From,
    /// To, CSeq number, top Via and Route, in a non-INVITE client transaction of its own. Returns
    /// null when the INVITE has no provisional response yet or is already over (§9.1: no CANCEL
    /// before a provisional response, none after the final one).
    /// </summary>
    public SipClientTransaction? SendCancel(SipClientTransaction invite, ISipClientTransactionOwner owner)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(owner);
        if (!invite.IsInvite)
            throw new ArgumentException("Only an INVITE is cancelled.", nameof(invite));
        SipMessageBuffer? inviteBytes = invite.MessageForCancel();
        if (inviteBytes is null)
            return null;
        SipMessage request = ScratchMessage;
        if (!request.Parse(inviteBytes.WrittenMemory).IsSuccess)
            return null;
        SipClientTransaction cancel = Register(invite.Id + 1, invite.BranchValue, SipMethod.Cancel, invite.Destination, owner);
        var writer = new SipMessageWriter(cancel.RequestBuffer);
        writer.WriteCancelFor(request);
        writer.WriteEmptyBody();
        writer.Flush();
        request.Reset();
        cancel.Start();
        return cancel;
    }

    /// <summary>A buffer for a message; give it to a transaction or back with <see cref="ReturnBuffer"/>.</summary>
    public SipMessageBuffer RentBuffer() => _bufferPool.Get();

    /// <summary>
    /// A buffer sized for <paramref name="length"/> bytes: a small one when it fits, so that what a
    /// transaction keeps for 64*T1 (tens of thousands of them at high call rates) costs little memory.
    /// </summary>
    public SipMessageBuffer RentBuffer(int length) => length <= SipMessageBuffer.SmallCapacity ? _smallBufferPool.Get() : _bufferPool.Get();

    /// <summary>Returns a buffer from <see cref="RentBuffer()"/> or <see cref="RentBuffer(int)"/>.</summary>
    public void ReturnBuffer(SipMessageBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.ResetForPool();
        if (buffer.InitialCapacity == SipMessageBuffer.SmallCapacity)
            _smallBufferPool.Return(buffer);
        else
            _bufferPool.Return(buffer);
    }

    /// <summary>A copy of <paramref name="message"/> in a buffer of the right size class.</summary>
    internal SipMessageBuffer Keep(ReadOnlySpan<byte> message)
    {
        SipMessageBuffer kept = RentBuffer(message.Length);
        kept.CopyFrom(message);
        return kept;
    }

    /// <summary>
    /// Sends a message outside any transaction: the ACK for a 2xx and its retransmissions
    /// (§13.2.2.4), or a TU's 2xx retransmissions (§13.3.1.4). False when refused at once.
    /// </summary>
    public bool SendStateless(ReadOnlySpan<byte> message, in SipDestination destination) => Send(message, destination);

    /// <summary>A per-thread buffer for a message sent and forgotten at once.</summary>
    public static SipMessageBuffer ScratchBuffer
    {
        get
        {
            SipMessageBuffer buffer = t_buffer ??= new SipMessageBuffer();
            buffer.Clear();
            return buffer;
        }
    }

    internal bool Send(ReadOnlySpan<byte> message, in SipDestination destination) => _transport.Send(message, destination);

    internal SipMessage RentMessage() => _messagePool.Get();

    internal void ReturnMessage(SipMessage message)
    {
        message.Reset();
        _messagePool.Return(message);
    }

    /// <inheritdoc/>
    public void OnMessageReceived(ReadOnlyMemory<byte> data, in SipRemote remote)
    {
        SipMessage message = t_received ??= new SipMessage(_options.MaxHeaders);
        try
        {
            SipFraming framing = remote.Protocol == SipTransportProtocol.Udp ? SipFraming.Datagram : SipFraming.Stream;
            if (!message.Parse(data, framing).IsSuccess)
            {
                Counters.Drop(SipDropReason.Unparseable);
                return;
            }
            if (message.IsRequest)
                OnRequest(message, remote);
            else
                OnResponse(message);
        }
        finally
        {
            message.Reset();
        }
    }

    /// <inheritdoc/>
    public void OnSendFailed(in SipRemote remote)
    {
        // §17.1.4 / §17.2.4: every transaction that sends to that peer over that transport fails.
        var clients = new List<SipClientTransaction>();
        for (int i = 0; i < StripeCount; i++)
        {
            lock (_clientLocks[i])
            {
                foreach (SipClientTransaction tx in _clients[i].Values)
                {
                    if (tx.HasDestination(remote.Protocol, remote.Address))
                        clients.Add(tx);
                }
            }
        }
        foreach (SipClientTransaction tx in clients)
            tx.OnTransportFailure();

        var servers = new List<SipServerTransaction>();
        for (int i = 0; i < StripeCount; i++)
        {
            lock (_serverLocks[i])
            {
                foreach (SipServerTransaction head in _servers[i].Values)
                {
                    for (SipServerTransaction? tx = head; tx is not null; tx = tx.NextSameHash)
                    {
                        if (tx.HasDestination(remote.Protocol, remote.Address))
                            servers.Add(tx);
                    }
                }
            }
        }
        foreach (SipServerTransaction tx in servers)
            tx.OnTransportFailure();
    }

    private void OnResponse(SipMessage response)
    {
        Counters.ResponseReceived(response.StatusCode);
        if (!_validator.ValidateResponse(response).IsAcceptable)
        {
            Counters.Drop(SipDropReason.InvalidResponse);
            return;
        }
        if (!response.TryGetTopVia(out SipVia via) || !SipBranch.TryRead(via.Branch, out ulong branchValue)
            || !response.TryGetCSeq(out SipCSeq cseq))
        {
            Counters.Drop(SipDropReason.StrayResponse);
            return;
        }
        long key = (long)(branchValue ^ _branchSalt) * 2 + (cseq.Method == SipMethod.Cancel ? 1 : 0);
        SipClientTransaction? tx;
        SipMethod method = SipMethod.Extension;
        int stripe = StripeOf(key);
        lock (_clientLocks[stripe])
        {
            if (_clients[stripe].TryGetValue(key, out tx))
                method = tx.Method;
        }
        // §17.1.3: the CSeq method must be the transaction's (ACK never has a response).
        if (tx is null || method != cseq.Method)
        {
            Counters.Drop(SipDropReason.StrayResponse);
            return;
        }
        tx.OnResponse(response, key);
    }

    private void OnRequest(SipMessage request, in SipRemote remote)
    {
        Counters.RequestReceived(request.Method);
        SipValidationResult verdict = _validator.ValidateRequest(request);
        if (!verdict.IsAcceptable)
        {
            RejectStatelessly(request, remote, verdict);
            return;
        }

        request.TryGetTopVia(out SipVia via);
        Span<byte> key = stackalloc byte[SipServerTransactionKey.MaxLength];
        int keyLength = SipServerTransactionKey.Build(request, via, SipServerTransactionKey.MethodClass(request), key);
        if (keyLength < 0)
        {
            Counters.Drop(SipDropReason.UnroutableRequest);
            return;
        }
        key = key.Slice(0, keyLength);
        int hash = SipServerTransactionKey.Hash(key);

        if (request.Method == SipMethod.Ack)
        {
            SipServerTransaction? invite = FindServer(key, hash, out long inviteId);
            if (invite is null || invite.OnAck(inviteId))
                _handler.OnAck(request, remote);
            return;
        }

        if (request.Method == SipMethod.Cancel)
        {
            OnCancel(request, remote, via, key, hash);
            return;
        }

        SipServerTransaction tx = GetOrCreateServer(request, remote, via, key, hash, out bool created, out long id);
        if (!created)
        {
            tx.OnRetransmittedRequest(id);
            return;
        }
        DeliverNewRequest(tx, request);
    }

    private void OnCancel(SipMessage request, in SipRemote remote, scoped in SipVia via, ReadOnlySpan<byte> key, int hash)
    {
        SipServerTransaction cancel = GetOrCreateServer(request, remote, via, key, hash, out bool created, out long id);
        if (!created)
        {
            cancel.OnRetransmittedRequest(id);
            return;
        }
        // §9.2: the CANCEL matches the INVITE with the same branch and sent-by.
        Span<byte> inviteKey = stackalloc byte[SipServerTransactionKey.MaxLength];
        int length = SipServerTransactionKey.Build(request, via, "INVITE"u8, inviteKey);
        SipServerTransaction? invite = length < 0 ? null : FindServer(inviteKey.Slice(0, length), SipServerTransactionKey.Hash(inviteKey.Slice(0, length)), out _);
        try
        {
            if (invite is null)
            {
                Counters.Drop(SipDropReason.NoSuchDialog);
                cancel.Respond(481);
                return;
            }
            ISipServerTransactionOwner? owner = invite.Owner;
            if (owner is not null)
            {
                owner.OnCancel(invite, cancel);
            }
            else
            {
                cancel.Respond(200);
                if (!invite.HasFinalResponse)
                    invite.Respond(487);
            }
        }
        finally
        {
            FinishDelivery(cancel, request);
        }
    }

    private void DeliverNewRequest(SipServerTransaction tx, SipMessage request)
    {
        if (tx.IsInvite)
        {
            if (_options.TryingDelay == TimeSpan.Zero)
                tx.SendTryingNow();
            else
                tx.StartTryingTimer(_options.TryingDelay);
        }
        try
        {
            _handler.OnRequest(tx, request);
        }
        finally
        {
            FinishDelivery(tx, request);
        }
    }

    private void FinishDelivery(SipServerTransaction tx, SipMessage request)
    {
        // A request nobody took charge of and nobody answered would keep its transaction forever.
        if (!tx.HasFinalResponse && !tx.IsRetained && tx.State != SipTransactionState.Terminated)
            tx.Respond(500, default, "Request Not Handled"u8);
        tx.DetachFromReceiveBuffer(request);
    }

    private void RejectStatelessly(SipMessage request, in SipRemote remote, SipValidationResult verdict)
    {
        Counters.Drop(verdict.StatusCode switch
        {
            405 => SipDropReason.MethodNotAllowed,
            501 => SipDropReason.NotImplemented,
            _ => SipDropReason.InvalidRequest,
        });
        // §17: an ACK is never answered; a request whose top Via is unusable cannot be.
        if (request.Method == SipMethod.Ack || verdict.StatusCode == 0 || !request.TryGetTopVia(out SipVia via))
            return;
        SipSocketAddressSlot slot = t_slot ??= new SipSocketAddressSlot();
        SipDestination destination = SipResponseRouting.Compute(remote, via, slot);
        SipMessageBuffer buffer = ScratchBuffer;
        var writer = new SipMessageWriter(buffer);
        Span<byte> reason = stackalloc byte[96];
        scoped ReadOnlySpan<byte> phrase = SipReasonPhrases.Get(verdict.StatusCode);
        if (verdict.StatusCode == 400 && System.Text.Ascii.FromUtf16(verdict.Reason, reason, out int written) is System.Buffers.OperationStatus.Done)
            phrase = reason.Slice(0, written);
        SipResponseRouting.WriteHead(ref writer, request, verdict.StatusCode, phrase, default, false, slot.Address!, SipSocketAddressSlot.GetPort(remote.Address));
        if (verdict.StatusCode == 405)
            writer.WriteHeader(SipHeaderId.Allow, _allowHeader);
        else if (verdict.StatusCode == 420)
            _validator.WriteUnsupported(ref writer, request);
        else if (verdict.StatusCode == 415)
            writer.WriteHeader(SipHeaderId.Accept, "application/sdp, application/dtmf-relay"u8);
        writer.WriteEmptyBody();
        writer.Flush();
        Counters.ResponseSent(verdict.StatusCode);
        Send(buffer.WrittenSpan, destination);
    }

    private SipServerTransaction? FindServer(ReadOnlySpan<byte> key, int hash, out long id)
    {
        id = 0;
        int stripe = hash & (StripeCount - 1);
        lock (_serverLocks[stripe])
        {
            if (!_servers[stripe].TryGetValue(hash, out SipServerTransaction? tx))
                return null;
            for (; tx is not null; tx = tx.NextSameHash)
            {
                if (tx.Key.SequenceEqual(key))
                {
                    id = tx.Id;
                    return tx;
                }
            }
            return null;
        }
    }

    private SipServerTransaction GetOrCreateServer(SipMessage request, in SipRemote remote, scoped in SipVia via, ReadOnlySpan<byte> key, int hash, out bool created, out long id)
    {
        int stripe = hash & (StripeCount - 1);
        lock (_serverLocks[stripe])
        {
            Dictionary<int, SipServerTransaction> table = _servers[stripe];
            table.TryGetValue(hash, out SipServerTransaction? head);
            for (SipServerTransaction? tx = head; tx is not null; tx = tx.NextSameHash)
            {
                if (tx.Key.SequenceEqual(key))
                {
                    created = false;
                    id = tx.Id;
                    return tx;
                }
            }
            SipServerTransaction fresh = _serverPool.Get();
            SipDestination destination = SipResponseRouting.Compute(remote, via, fresh.DestinationSlot);
            fresh.Initialize(this, Interlocked.Increment(ref _nextId) * 2, request, remote, destination, key, hash);
            fresh.NextSameHash = head;
            table[hash] = fresh;
            Interlocked.Increment(ref Counters._activeServerTransactions);
            created = true;
            id = fresh.Id;
            return fresh;
        }
    }

    private SipClientTransaction Register(long key, ulong branchValue, SipMethod method, in SipDestination destination, ISipClientTransactionOwner owner)
    {
        SipClientTransaction tx = _clientPool.Get();
        tx.Initialize(this, key, branchValue, method, destination, owner, RentBuffer());
        int stripe = StripeOf(key);
        lock (_clientLocks[stripe])
            _clients[stripe][key] = tx;
        Interlocked.Increment(ref Counters._activeClientTransactions);
        return tx;
    }

    internal void OnTerminated(SipClientTransaction tx)
    {
        int stripe = StripeOf(tx.Id);
        bool removed;
        lock (_clientLocks[stripe])
            removed = _clients[stripe].Remove(tx.Id, out SipClientTransaction? found) && ReferenceEquals(found, tx);
        if (removed)
        {
            Interlocked.Decrement(ref Counters._activeClientTransactions);
            tx.Release();
        }
    }

    internal void OnTerminated(SipServerTransaction tx)
    {
        int hash = tx.KeyHash;
        int stripe = hash & (StripeCount - 1);
        bool removed = false;
        lock (_serverLocks[stripe])
        {
            Dictionary<int, SipServerTransaction> table = _servers[stripe];
            if (table.TryGetValue(hash, out SipServerTransaction? head))
            {
                if (ReferenceEquals(head, tx))
                {
                    if (tx.NextSameHash is { } next)
                        table[hash] = next;
                    else
                        table.Remove(hash);
                    removed = true;
                }
                else
                {
                    for (SipServerTransaction? previous = head; previous?.NextSameHash is not null; previous = previous.NextSameHash)
                    {
                        if (ReferenceEquals(previous.NextSameHash, tx))
                        {
                            previous.NextSameHash = tx.NextSameHash;
                            removed = true;
                            break;
                        }
                    }
                }
            }
        }
        if (removed)
        {
            Interlocked.Decrement(ref Counters._activeServerTransactions);
            tx.Release();
        }
    }

    internal void Recycle(SipClientTransaction tx)
    {
        SipMessageBuffer? message = tx.TakeMessage();
        if (message is not null)
            ReturnBuffer(message);
        tx.ResetForPool();
        _clientPool.Return(tx);
    }

    internal void Recycle(SipServerTransaction tx)
    {
        tx.ResetForPool();
        _serverPool.Return(tx);
    }

    private static int StripeOf(long key) => (int)((ulong)key >> 1) & (StripeCount - 1);

    /// <summary>Stops the wheel it owns. The transports belong to the caller.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_ownsWheel)
            Wheel.Dispose();
    }
}
