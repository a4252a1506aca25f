using System.Collections.Concurrent;
using Dialtone.Daemon.Api;
using Dialtone.Daemon.Auth;
using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Operations;
using Dialtone.Daemon.Storage;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Calls;

/// <summary>
/// Owns calls from acceptance to their final state: stores them, queues them, applies every state
/// change through <see cref="CallStateMachine"/>, and writes each change and the status callback it
/// raises in one transaction, so a callback exists if and only if its change does.
/// </summary>
public sealed partial class CallService : ICallControl
{
    /// <summary>The error code on calls cut short by a restart of their node.</summary>
    public const string NodeRestartedError = "node-restarted";

    /// <summary>The error code on calls the dialer gave back without ending them.</summary>
    public const string DialerError = "dialer-error";

    private readonly ConcurrentDictionary<string, LiveCall> _live = new(StringComparer.Ordinal);
    private readonly CallRecordStore _store;
    private readonly CallQueue _queue;
    private readonly CallbackComposer _composer;
    private readonly CallbackDispatcher _callbacks;
    private readonly ApiLinks _links;
    private readonly ShutdownState _shutdown;
    private readonly DaemonMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _nodeId;
    private long _lastCreatedMs;

    public CallService(CallRecordStore store, CallQueue queue, CallbackComposer composer, CallbackDispatcher callbacks,
        ApiLinks links, ShutdownState shutdown, DaemonMetrics metrics, TimeProvider time, ILogger<CallService> logger, int nodeId)
    {
        _store = store;
        _queue = queue;
        _composer = composer;
        _callbacks = callbacks;
        _links = links;
        _shutdown = shutdown;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _nodeId = nodeId;
        metrics.Registry.ObservedGauge("dialtone_calls_live", "Calls this node holds in memory (queued or on the network).", () => _live.Count);
        metrics.Registry.ObservedCounter("dialtone_storage_writes_total", "Writes committed to the database (call records, callbacks, attempts).", () => store.Database.CommittedWrites);
        metrics.Registry.ObservedCounter("dialtone_storage_commits_total", "Transactions those writes took (writes that come together share one).", () => store.Database.Commits);
    }

    public CallQueue Queue => _queue;

    /// <summary>Calls not over yet (queued or on the network).</summary>
    public IReadOnlyCollection<LiveCall> Live => (IReadOnlyCollection<LiveCall>)_live.Values;

    public LiveCall? FindLive(string callSid) => _live.GetValueOrDefault(callSid);

    /// <summary>A call of <paramref name="accountSid"/> from the store, or null (calls of other accounts are not found).</summary>
    public CallRecord? Get(string accountSid, string callSid)
    {
        if (!Sid.IsCallSid(callSid))
            return null;
        var call = _store.Get(callSid);
        return call is not null && call.AccountSid == accountSid ? call : null;
    }

    public CallPage List(CallQuery query) => _store.List(query);

    public async Task<CallControlResult> CreateAsync(Account account, CallRequest request, CancellationToken cancellationToken)
    {
        if (_shutdown.IsDraining)
            return new CallControlResult(CallControlStatus.ShuttingDown, null, "the daemon is shutting down and accepts no new calls");
        if (!_queue.TryAdmit(account, out var refusal))
            return new CallControlResult(CallControlStatus.OverLimit, null, refusal);
        var now = NextCreationTime();
        var record = new CallRecord
        {
            Sid = Sid.NewCallSid(_nodeId, now),
            AccountSid = account.Sid,
            NodeId = _nodeId,
            Direction = CallDirection.OutboundApi,
            Request = request,
            Status = CallStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        try
        {
            await _store.Database.WriteAsync((connection, transaction) =>
            {
                CallRecordStore.Insert(connection, transaction, record);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            _queue.Unadmit(account.Sid);
            throw;
        }
        var live = new LiveCall(this, record);
        _live[record.Sid] = live;
        _queue.Enqueue(live);
        _metrics.CallsCreated.Increment();
        _metrics.QueuedCalls.Increment();
        // Per-call lines are Debug: at a thousand calls a second, Information would be two thousand
        // log lines a second; the outcome of every call is in its record and its callbacks.
        if (_logger.IsEnabled(LogLevel.Debug))
            LogQueued(_logger, record.Sid, account.Sid, request.To);
        return CallControlResult.Ok(record);
    }

    public async Task<CallControlResult> RedirectAsync(string accountSid, string callSid, CallRedirect redirect, CancellationToken cancellationToken)
    {
        var live = FindLive(callSid);
        if (live is null || live.AccountSid != accountSid)
            return Settled(accountSid, callSid, "redirected");
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = live.Record;
            if (current.IsFinal)
                return new CallControlResult(CallControlStatus.InvalidState, current, $"call {callSid} is {CallStatusText.Of(current.Status)} and cannot be redirected");
            // The new application replaces the old one in the record too, so a call dialed later
            // (queued) or a restart runs what was asked last.
            var updated = current with
            {
                Request = current.Request with { Url = redirect.Url, Method = redirect.Method, Twiml = redirect.Twiml },
                UpdatedAt = _time.GetUtcNow(),
            };
            await _store.Database.WriteAsync((connection, transaction) =>
            {
                CallRecordStore.Update(connection, transaction, updated);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            live.Record = updated;
            if (current.Status != CallStatus.Queued)
                live.Send(new CallCommand(CallCommandKind.Redirect, redirect));
            return CallControlResult.Ok(updated);
        }
        finally
        {
            live.Gate.Release();
        }
    }

    public Task<CallControlResult> HangupAsync(string accountSid, string callSid, CancellationToken cancellationToken) =>
        EndAsync(accountSid, callSid, CallCommandKind.Hangup, cancellationToken);

    public Task<CallControlResult> CancelAsync(string accountSid, string callSid, CancellationToken cancellationToken) =>
        EndAsync(accountSid, callSid, CallCommandKind.Cancel, cancellationToken);

    private async Task<CallControlResult> EndAsync(string accountSid, string callSid, CallCommandKind kind, CancellationToken cancellationToken)
    {
        var live = FindLive(callSid);
        if (live is null || live.AccountSid != accountSid)
            return Settled(accountSid, callSid, null);
        var status = live.Record.Status;
        if (status == CallStatus.Queued)
        {
            // Never dialed: ending it is a state change we make ourselves. If the dialer took it
            // meanwhile, the command tells it, and its later reports are refused (final state).
            _queue.TryRemove(live);
            var outcome = await UpdateAsync(live, CallStatus.Canceled, null, cancellationToken).ConfigureAwait(false);
            live.Send(new CallCommand(kind));
            return CallControlResult.Ok(outcome.Record);
        }
        if (kind == CallCommandKind.Cancel && status == CallStatus.InProgress)
            return new CallControlResult(CallControlStatus.InvalidState, live.Record,
                $"call {callSid} is in progress and cannot be canceled; use status=completed to hang it up");
        if (!live.Record.IsFinal)
            live.Send(new CallCommand(kind));
        return CallControlResult.Ok(live.Record);
    }

    /// <summary>The answer for a call not held live: not found, or a final call (returned as it is).</summary>
    private CallControlResult Settled(string accountSid, string callSid, string? refusedVerb)
    {
        var stored = Get(accountSid, callSid);
        if (stored is null)
            return CallControlResult.NotFound(callSid);
        if (refusedVerb is not null)
            return new CallControlResult(CallControlStatus.InvalidState, stored, $"call {callSid} is {CallStatusText.Of(stored.Status)} and cannot be {refusedVerb}");
        return CallControlResult.Ok(stored);
    }

    /// <summary>
    /// Creation times strictly increase on a node (a call made in the same millisecond as the one before
    /// is stamped a millisecond later), so listings in creation order are exact and pages never shuffle.
    /// </summary>
    private DateTimeOffset NextCreationTime()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        while (true)
        {
            var last = Interlocked.Read(ref _lastCreatedMs);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _lastCreatedMs, next, last) == last)
                return DateTimeOffset.FromUnixTimeMilliseconds(next);
        }
    }

    /// <summary>Applies one state change: judged, stored with its callback in one transaction, then announced.</summary>
    internal async Task<CallUpdateOutcome> UpdateAsync(LiveCall live, CallStatus to, CallEnd? details, CancellationToken cancellationToken)
    {
        await live.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = live.Record;
            var verdict = CallStateMachine.Judge(current.Status, to);
            if (verdict != CallTransitionVerdict.Allowed)
            {
                if (verdict == CallTransitionVerdict.Refused)
                    _logger.LogInformation("Call {CallSid}: ignored a move from {From} to {To}", current.Sid, CallStatusText.Of(current.Status), CallStatusText.Of(to));
                return new CallUpdateOutcome(verdict, current, false);
            }

            var now = _time.GetUtcNow();
            var next = Apply(current, to, details, now);
            var outbox = _composer.Compose(next, CallEventText.RaisedBy(to), next.NextCallbackSequence, now);
            if (outbox is not null)
                next = next with { NextCallbackSequence = next.NextCallbackSequence + 1 };
            await _store.Database.WriteAsync((connection, transaction) =>
            {
                CallRecordStore.UpdateState(connection, transaction, next);
                if (outbox is not null)
                    CallbackOutboxStore.Insert(connection, transaction, outbox);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            live.Record = next;
            if (outbox is not null)
                _callbacks.Enqueued(outbox);
            Count(current.Status, to);
            if (next.IsFinal)
            {
                _live.TryRemove(next.Sid, out _);
                if (live.Dispatched)
                    _queue.Release(next.AccountSid);
                live.Finish(next);
                if (_logger.IsEnabled(LogLevel.Debug))
                    LogEnded(_logger, next.Sid, CallStatusText.Of(to), next.SipResponseCode, next.DurationSeconds);
            }
            return new CallUpdateOutcome(verdict, next, outbox is not null);
        }
        finally
        {
            live.Gate.Release();
        }
    }

    private CallRecord Apply(CallRecord current, CallStatus to, CallEnd? details, DateTimeOffset now)
    {
        var next = current with { Status = to, UpdatedAt = now, SipResponseCode = details?.SipResponseCode ?? current.SipResponseCode };
        switch (to)
        {
            case CallStatus.Initiated:
                return next with { StartedAt = now };
            case CallStatus.InProgress:
                return next with { AnsweredAt = now };
            case CallStatus.Ringing:
                return next;
        }
        // Final: the detail record is closed.
        var duration = current.AnsweredAt is { } answered ? (int)Math.Ceiling((now - answered).TotalSeconds) : 0;
        var recordingUrl = details?.RecordingPath is not null ? _links.RecordingUrl(current.Sid) : null;
        return next with
        {
            EndedAt = now,
            Result = to,
            DurationSeconds = Math.Max(0, duration),
            ErrorCode = details?.ErrorCode ?? current.ErrorCode,
            ErrorMessage = details?.ErrorMessage ?? current.ErrorMessage,
            RecordingPath = details?.RecordingPath ?? current.RecordingPath,
            RecordingUrl = recordingUrl ?? current.RecordingUrl,
        };
    }

    private void Count(CallStatus from, CallStatus to)
    {
        if (from == CallStatus.Queued)
            _metrics.QueuedCalls.Decrement();
        if (to == CallStatus.Initiated)
        {
            _metrics.CallsInitiated.Increment();
            _metrics.CallAttempts.Mark();
            _metrics.ActiveCalls.Increment();
        }
        if (CallStateMachine.IsFinal(to))
        {
            if (CallStateMachine.IsLive(from))
                _metrics.ActiveCalls.Decrement();
            _metrics.CallEnded(to);
        }
    }

    internal async Task<LiveCall> CreateChildLegAsync(LiveCall parent, ChildLegRequest request, CancellationToken cancellationToken)
    {
        var parentRecord = parent.Record;
        var now = NextCreationTime();
        var record = new CallRecord
        {
            Sid = Sid.NewCallSid(_nodeId, now),
            ParentSid = parentRecord.Sid,
            AccountSid = parentRecord.AccountSid,
            NodeId = _nodeId,
            Direction = CallDirection.OutboundDial,
            // A B-leg reports to the A-leg's status callback (seed spec: "send the events of bleg to the same url").
            Request = parentRecord.Request with
            {
                To = request.To,
                From = request.From,
                CallerId = null,
                Url = null,
                Twiml = null,
                FallbackUrl = null,
                SendDigits = request.SendDigits,
                TimeoutSeconds = request.TimeoutSeconds,
                TimeLimitSeconds = request.TimeLimitSeconds,
                Record = request.Record,
            },
            Status = CallStatus.Queued,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await _store.Database.WriteAsync((connection, transaction) =>
        {
            CallRecordStore.Insert(connection, transaction, record);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        var live = new LiveCall(this, record);
        _live[record.Sid] = live;
        _metrics.QueuedCalls.Increment();
        return live;
    }

    /// <summary>
    /// At start: calls this node left unfinished. Queued ones are queued again (nothing was dialed);
    /// calls that were on the network lost their SIP dialog with the old process, so they are closed
    /// (answered ones completed, others failed) with error <see cref="NodeRestartedError"/>, and their
    /// completed callback is written like any other.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var unfinished = _store.ListUnfinished(_nodeId);
        foreach (var record in unfinished)
        {
            var live = new LiveCall(this, record);
            _live[record.Sid] = live;
            if (record.Status == CallStatus.Queued)
            {
                _metrics.QueuedCalls.Increment();
                if (record.ParentSid is null)
                    _queue.Enqueue(live, admitted: false);
                else
                    await UpdateAsync(live, CallStatus.Failed, new CallEnd(CallStatus.Failed, null, NodeRestartedError,
                        "the node restarted before this leg was dialed"), cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (CallStateMachine.IsLive(record.Status))
                _metrics.ActiveCalls.Increment();
            var final = record.Status == CallStatus.InProgress ? CallStatus.Completed : CallStatus.Failed;
            await UpdateAsync(live, final, new CallEnd(final, null, NodeRestartedError, "the node restarted while the call was in progress"),
                cancellationToken).ConfigureAwait(false);
        }
        if (unfinished.Count > 0)
            _logger.LogWarning("Recovered {Count} unfinished calls from before the last stop", unfinished.Count);
        return unfinished.Count;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid} queued for account {AccountSid} to {To}")]
    private static partial void LogQueued(ILogger logger, string callSid, string accountSid, string to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallSid} ended {Result} (SIP {SipCode}, {Duration} s)")]
    private static partial void LogEnded(ILogger logger, string callSid, string result, int? sipCode, int? duration);
}
