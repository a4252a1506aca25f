using Dialtone.Daemon.Auth;
using Dialtone.Daemon.Config;

namespace Dialtone.Daemon.Calls;

/// <summary>
/// Accepted calls waiting to be dialed, first come first served, with per-account bounds: at most
/// MaxQueuedCalls waiting, and a call leaves the queue only while its account has fewer than
/// MaxActiveCalls on the network. A slot is given back when the call reaches a final state.
/// </summary>
public sealed class CallQueue(AccountDirectory accounts, LimitsOptions limits)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<LiveCall> _waiting = new();
    private readonly Dictionary<string, Counts> _counts = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Counts
    {
        public int Queued;
        public int Active;
    }

    public int Count
    {
        get
        {
            lock (_lock)
                return _waiting.Count;
        }
    }

    /// <summary>Calls waiting and active for an account.</summary>
    public (int Queued, int Active) CountsOf(string accountSid)
    {
        lock (_lock)
            return _counts.TryGetValue(accountSid, out var c) ? (c.Queued, c.Active) : (0, 0);
    }

    /// <summary>Reserves a queue place for a new call of <paramref name="account"/>, or says why not.</summary>
    public bool TryAdmit(Account account, out string? refusal)
    {
        lock (_lock)
        {
            var counts = CountsFor(account.Sid);
            if (counts.Queued >= account.MaxQueuedCalls)
            {
                refusal = $"account {account.Sid} already has {counts.Queued} calls queued (the limit is {account.MaxQueuedCalls})";
                return false;
            }
            if (limits.OverLimit == OverLimitAction.Reject && counts.Queued + counts.Active >= account.MaxActiveCalls)
            {
                refusal = $"account {account.Sid} already has {counts.Queued + counts.Active} calls pending or in progress (the limit is {account.MaxActiveCalls})";
                return false;
            }
            counts.Queued++;
            refusal = null;
            return true;
        }
    }

    /// <summary>Gives back a place reserved by <see cref="TryAdmit"/> that was not used.</summary>
    public void Unadmit(string accountSid)
    {
        lock (_lock)
            CountsFor(accountSid).Queued--;
    }

    /// <summary>Queues a call whose place was reserved (or, with <paramref name="admitted"/> false, one resumed after a restart).</summary>
    public void Enqueue(LiveCall call, bool admitted = true)
    {
        lock (_lock)
        {
            if (!admitted)
                CountsFor(call.AccountSid).Queued++;
            _waiting.AddLast(call);
            Signal();
        }
    }

    /// <summary>Takes a queued call out (cancel); false when it already left the queue.</summary>
    public bool TryRemove(LiveCall call)
    {
        lock (_lock)
        {
            var node = _waiting.Find(call);
            if (node is null)
                return false;
            _waiting.Remove(node);
            CountsFor(call.AccountSid).Queued--;
            Signal();
            return true;
        }
    }

    /// <summary>The oldest call whose account has an active slot free; waits until there is one.</summary>
    public async Task<LiveCall> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                for (var node = _waiting.First; node is not null; node = node.Next)
                {
                    var call = node.Value;
                    var counts = CountsFor(call.AccountSid);
                    if (counts.Active >= MaxActiveOf(call.AccountSid))
                        continue;
                    _waiting.Remove(node);
                    counts.Queued--;
                    counts.Active++;
                    call.Dispatched = true;
                    return call;
                }
                changed = _changed.Task;
            }
            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A dispatched call reached a final state: its account's slot is free again.</summary>
    public void Release(string accountSid)
    {
        lock (_lock)
        {
            CountsFor(accountSid).Active--;
            Signal();
        }
    }

    private int MaxActiveOf(string accountSid) => accounts.Find(accountSid)?.MaxActiveCalls ?? limits.MaxActiveCallsPerAccount;

    private Counts CountsFor(string accountSid)
    {
        if (!_counts.TryGetValue(accountSid, out var counts))
        {
            counts = new Counts();
            _counts[accountSid] = counts;
        }
        return counts;
    }

    private void Signal()
    {
        var previous = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }
}
