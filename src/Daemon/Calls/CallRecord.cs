namespace Dialtone.Daemon.Calls;

/// <summary>
/// Everything known about one call or leg: the request, the state, and the detail record (CDR)
/// fields filled in as it progresses. Immutable: a change makes a new record.
/// </summary>
public sealed record CallRecord
{
    public required string Sid { get; init; }

    /// <summary>The A-leg's sid on a B-leg dialed by the application.</summary>
    public string? ParentSid { get; init; }

    public required string AccountSid { get; init; }

    /// <summary>The node that owns the call (also encoded in <see cref="Sid"/>).</summary>
    public int NodeId { get; init; }

    public CallDirection Direction { get; init; } = CallDirection.OutboundApi;

    public required CallRequest Request { get; init; }

    public CallStatus Status { get; init; } = CallStatus.Queued;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the INVITE left (the call was initiated).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The last SIP status code heard on the INVITE (180, 200, 486...).</summary>
    public int? SipResponseCode { get; init; }

    /// <summary>The final state once the call is over.</summary>
    public CallStatus? Result { get; init; }

    /// <summary>Seconds from answer to end (rounded up); 0 for a call never answered.</summary>
    public int? DurationSeconds { get; init; }

    /// <summary>Where the media engine wrote the recording (inside the data directory).</summary>
    public string? RecordingPath { get; init; }

    /// <summary>The authenticated URL the recording is served at.</summary>
    public string? RecordingUrl { get; init; }

    /// <summary>Why the application failed, when it did (a voice-application error code).</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>The SequenceNumber the next status callback of this call will carry.</summary>
    public int NextCallbackSequence { get; init; }

    public bool IsFinal => CallStateMachine.IsFinal(Status);
}
