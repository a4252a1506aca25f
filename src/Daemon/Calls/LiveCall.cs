namespace Dialtone.Daemon.Calls;

/// <summary>
/// A call that is not over yet (queued or on the network), as the orchestration sees it: its current
/// record, the commands the API sends it, and the methods that report its progress.
/// </summary>
public sealed class LiveCall
{
    private readonly CallService _owner;
    private readonly Mailbox<CallCommand> _commands = new();
    private readonly TaskCompletionSource<CallRecord> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile CallRecord _record;

    internal LiveCall(CallService owner, CallRecord record)
    {
        _owner = owner;
        _record = record;
    }

    public string Sid => _record.Sid;

    public string AccountSid => _record.AccountSid;

    /// <summary>The call as last stored.</summary>
    public CallRecord Record
    {
        get => _record;
        internal set => _record = value;
    }

    /// <summary>Redirect, hang-up and cancel requests from the API, in the order they came (read by the call's task).</summary>
    public Mailbox<CallCommand> Commands => _commands;

    /// <summary>Completes with the final record when the call ends.</summary>
    public Task<CallRecord> Ended => _ended.Task;

    /// <summary>Serializes this call's state changes (one at a time, in the order reported).</summary>
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Taken out of the queue by the dispatcher: holds one of its account's active-call slots.</summary>
    internal bool Dispatched { get; set; }

    public Task<CallUpdateOutcome> ReportInitiatedAsync(CancellationToken cancellationToken = default) =>
        _owner.UpdateAsync(this, CallStatus.Initiated, null, cancellationToken);

    /// <summary>A 180 or 183 arrived.</summary>
    public Task<CallUpdateOutcome> ReportRingingAsync(int sipResponseCode, CancellationToken cancellationToken = default) =>
        _owner.UpdateAsync(this, CallStatus.Ringing, new CallEnd(CallStatus.Ringing, sipResponseCode), cancellationToken);

    /// <summary>The 200 OK arrived (and was ACKed).</summary>
    public Task<CallUpdateOutcome> ReportAnsweredAsync(int sipResponseCode = 200, CancellationToken cancellationToken = default) =>
        _owner.UpdateAsync(this, CallStatus.InProgress, new CallEnd(CallStatus.InProgress, sipResponseCode), cancellationToken);

    /// <summary>The call is over; <paramref name="end"/> says how.</summary>
    public Task<CallUpdateOutcome> ReportEndedAsync(CallEnd end, CancellationToken cancellationToken = default)
    {
        if (!CallStateMachine.IsFinal(end.Status))
            throw new ArgumentException($"{end.Status} is not a final state", nameof(end));
        return _owner.UpdateAsync(this, end.Status, end, cancellationToken);
    }

    /// <summary>Creates a B-leg of this call (own sid, ParentCallSid = this sid), reporting to the same status callback.</summary>
    public Task<LiveCall> StartChildLegAsync(ChildLegRequest request, CancellationToken cancellationToken = default) =>
        _owner.CreateChildLegAsync(this, request, cancellationToken);

    internal bool Send(CallCommand command) => _commands.TryWrite(command);

    internal void Finish(CallRecord final)
    {
        _commands.Complete();
        _ended.TrySetResult(final);
    }
}
