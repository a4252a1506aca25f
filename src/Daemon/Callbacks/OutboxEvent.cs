using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Callbacks;

/// <summary>One status callback in the durable outbox, with its delivery history.</summary>
public sealed record OutboxEvent
{
    public required string CallSid { get; init; }

    /// <summary>The callback's SequenceNumber: per call, from 0, in the order the events happened.</summary>
    public required int SequenceNumber { get; init; }

    public required string AccountSid { get; init; }

    /// <summary>initiated, ringing, answered or completed.</summary>
    public required string EventName { get; init; }

    /// <summary>The customer's statusCallback with the <c>optional</c> token already in its query.</summary>
    public required string Url { get; init; }

    public HttpMethodKind Method { get; init; } = HttpMethodKind.Post;

    /// <summary>The fields, form-encoded: the POST body, or the query added to <see cref="Url"/> for GET.</summary>
    public required string Body { get; init; }

    /// <summary>X-Twilio-Signature for Twilio-dialect calls, computed when the event was written.</summary>
    public string? Signature { get; init; }

    public OutboxState State { get; init; } = OutboxState.Pending;

    public int Attempts { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset NextAttemptAt { get; init; }

    public DateTimeOffset? LastAttemptAt { get; init; }

    public int? LastStatusCode { get; init; }

    /// <summary>What went wrong on the last attempt (never contains the body, which may hold the apikey).</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The URL actually requested: for GET the fields are in the query.</summary>
    public string RequestUrl => Method == HttpMethodKind.Get
        ? string.Concat(Url, Url.Contains('?', StringComparison.Ordinal) ? "&" : "?", Body)
        : Url;
}
