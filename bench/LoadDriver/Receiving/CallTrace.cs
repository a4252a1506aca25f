namespace Dialtone.LoadDriver.Receiving;

/// <summary>
/// One call the driver placed: when its REST request left and was answered, and when each status
/// callback arrived (monotonic <see cref="System.Diagnostics.Stopwatch"/> timestamps, 0 = not yet).
/// Written by the REST task and the callback receiver, read at the end of the run.
/// </summary>
public sealed class CallTrace(int index, string to)
{
    private readonly Lock _lock = new();
    private List<ReceivedCallback>? _callbacks;

    public int Index { get; } = index;

    /// <summary>The unique number this call dialed: how callbacks and SIPp's INVITE log find it.</summary>
    public string To { get; } = to;

    public long RequestedAt { get; set; }

    public long RepliedAt { get; set; }

    /// <summary>The REST status code (201 accepted), or 0 when the request itself failed.</summary>
    public int HttpStatus { get; set; }

    public string? Sid { get; set; }

    public string? RequestError { get; set; }

    public long InitiatedAt { get; private set; }

    public long RingingAt { get; private set; }

    public long AnsweredAt { get; private set; }

    public long CompletedAt { get; private set; }

    /// <summary>CallResult of the completed callback (completed, busy, no-answer, failed, canceled).</summary>
    public string? Result { get; private set; }

    public string? SipResponseCode { get; private set; }

    public string? ErrorCode { get; private set; }

    /// <summary>Callbacks received more than once (delivery is at least once).</summary>
    public int Duplicates { get; private set; }

    /// <summary>Every callback with its fields, when the receiver keeps them (scenario checks).</summary>
    public IReadOnlyList<ReceivedCallback> Callbacks
    {
        get
        {
            lock (_lock)
                return _callbacks is null ? [] : [.. _callbacks];
        }
    }

    internal void Record(string status, long at, ReceivedCallback? kept, string? result, string? sipCode, string? errorCode)
    {
        lock (_lock)
        {
            if (kept is not null)
                (_callbacks ??= []).Add(kept);
            switch (status)
            {
                case "initiated":
                    Stamp(InitiatedAt, at, v => InitiatedAt = v);
                    break;
                case "ringing":
                    Stamp(RingingAt, at, v => RingingAt = v);
                    break;
                case "answered":
                case "in-progress":
                    Stamp(AnsweredAt, at, v => AnsweredAt = v);
                    break;
                default:
                    // "completed" in the seed dialect; the final status itself in Twilio's.
                    Stamp(CompletedAt, at, v => CompletedAt = v);
                    Result = result ?? status;
                    SipResponseCode = sipCode;
                    ErrorCode = errorCode;
                    break;
            }
        }
    }

    private void Stamp(long current, long at, Action<long> set)
    {
        if (current != 0)
            Duplicates++;
        else
            set(at);
    }
}
