using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Transactions;

/// <summary>
/// What the signaling layers have seen and hold, for metrics: messages by method and status class,
/// retransmissions, timeouts, drops by reason, authentication retries, and the transactions,
/// dialogs and calls alive now. Updated with interlocked adds; read at any time.
/// </summary>
public sealed class SipSignalingCounters
{
    private const int MethodCount = (int)SipMethod.Publish + 1;

    private readonly long[] _requestsReceived = new long[MethodCount];
    private readonly long[] _requestsSent = new long[MethodCount];
    private readonly long[] _responsesReceived = new long[7];
    private readonly long[] _responsesSent = new long[7];
    private readonly long[] _drops = new long[(int)SipDropReason.UnroutableRequest + 1];

    internal long _retransmissionsSent;
    internal long _retransmissionsReceived;
    internal long _transactionTimeouts;
    internal long _transportErrors;
    internal long _authRetries;
    internal long _activeClientTransactions;
    internal long _activeServerTransactions;
    internal long _activeDialogs;
    internal long _activeCalls;
    internal long _callsPlaced;
    internal long _callsReceived;

    /// <summary>Requests received with <paramref name="method"/> (extension methods under <see cref="SipMethod.Extension"/>).</summary>
    public long RequestsReceived(SipMethod method) => Interlocked.Read(ref _requestsReceived[(int)method]);

    /// <summary>Requests sent with <paramref name="method"/>, first transmissions only.</summary>
    public long RequestsSent(SipMethod method) => Interlocked.Read(ref _requestsSent[(int)method]);

    /// <summary>Responses received in a status class (1 for 1xx ... 6 for 6xx).</summary>
    public long ResponsesReceived(int statusClass) => Interlocked.Read(ref _responsesReceived[ClassIndex(statusClass)]);

    /// <summary>Responses sent in a status class (1 for 1xx ... 6 for 6xx), first transmissions only.</summary>
    public long ResponsesSent(int statusClass) => Interlocked.Read(ref _responsesSent[ClassIndex(statusClass)]);

    /// <summary>Messages dropped or answered with an error for <paramref name="reason"/>.</summary>
    public long Drops(SipDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    /// <summary>All drops, whatever the reason.</summary>
    public long TotalDrops
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _drops.Length; i++)
                sum += Interlocked.Read(ref _drops[i]);
            return sum;
        }
    }

    /// <summary>Requests and responses sent again by a timer or in answer to a retransmission.</summary>
    public long RetransmissionsSent => Interlocked.Read(ref _retransmissionsSent);

    /// <summary>Retransmitted requests and responses received and absorbed by a transaction.</summary>
    public long RetransmissionsReceived => Interlocked.Read(ref _retransmissionsReceived);

    /// <summary>Client transactions ended by Timer B or F, server transactions by Timer H.</summary>
    public long TransactionTimeouts => Interlocked.Read(ref _transactionTimeouts);

    /// <summary>Transactions failed by a transport error (RFC 3261 §17.1.4).</summary>
    public long TransportErrors => Interlocked.Read(ref _transportErrors);

    /// <summary>Requests re-sent with credentials after a 401 or 407.</summary>
    public long AuthRetries => Interlocked.Read(ref _authRetries);

    /// <summary>Client transactions alive now.</summary>
    public long ActiveClientTransactions => Interlocked.Read(ref _activeClientTransactions);

    /// <summary>Server transactions alive now.</summary>
    public long ActiveServerTransactions => Interlocked.Read(ref _activeServerTransactions);

    /// <summary>Dialogs (early or confirmed) alive now.</summary>
    public long ActiveDialogs => Interlocked.Read(ref _activeDialogs);

    /// <summary>Calls not yet ended, both directions.</summary>
    public long ActiveCalls => Interlocked.Read(ref _activeCalls);

    /// <summary>Outgoing calls placed.</summary>
    public long CallsPlaced => Interlocked.Read(ref _callsPlaced);

    /// <summary>Incoming calls received.</summary>
    public long CallsReceived => Interlocked.Read(ref _callsReceived);

    internal void RequestReceived(SipMethod method) => Interlocked.Increment(ref _requestsReceived[(int)method]);

    internal void RequestSent(SipMethod method) => Interlocked.Increment(ref _requestsSent[(int)method]);

    internal void ResponseReceived(int statusCode) => Interlocked.Increment(ref _responsesReceived[ClassIndex(statusCode / 100)]);

    internal void ResponseSent(int statusCode) => Interlocked.Increment(ref _responsesSent[ClassIndex(statusCode / 100)]);

    internal void Drop(SipDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    private static int ClassIndex(int statusClass) => (uint)statusClass <= 6 ? statusClass : 0;
}
