using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Api;

/// <summary>
/// A call as <c>/v1/calls</c> returns it: Twilio's call fields and names (snake_case), with ISO 8601
/// times, plus the detail-record fields Twilio keeps elsewhere (SIP code, result, error, recording).
/// </summary>
public sealed record CallResource
{
    public required string Sid { get; init; }
    public required string AccountSid { get; init; }
    public string? ParentCallSid { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public string? CallerId { get; init; }
    public required string Status { get; init; }
    public required string Direction { get; init; }
    public DateTimeOffset DateCreated { get; init; }
    public DateTimeOffset DateUpdated { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? AnswerTime { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    /// <summary>Seconds from answer to end; null until the call is over.</summary>
    public int? Duration { get; init; }
    /// <summary>Milliseconds between acceptance and the INVITE leaving.</summary>
    public long? QueueTime { get; init; }
    public int? SipResponseCode { get; init; }
    public string? Result { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    public string? RecordingUrl { get; init; }
    public int NodeId { get; init; }
    public required string Uri { get; init; }

    public static CallResource Of(CallRecord call) => new()
    {
        Sid = call.Sid,
        AccountSid = call.AccountSid,
        ParentCallSid = call.ParentSid,
        From = call.Request.From,
        To = call.Request.To,
        CallerId = call.Request.CallerId,
        Status = CallStatusText.Of(call.Status),
        Direction = CallDirectionText.Of(call.Direction),
        DateCreated = call.CreatedAt,
        DateUpdated = call.UpdatedAt,
        StartTime = call.StartedAt,
        AnswerTime = call.AnsweredAt,
        EndTime = call.EndedAt,
        Duration = call.DurationSeconds,
        QueueTime = call.StartedAt is { } started ? (long)(started - call.CreatedAt).TotalMilliseconds : null,
        SipResponseCode = call.SipResponseCode,
        Result = call.Result is { } result ? CallStatusText.Of(result) : null,
        ErrorCode = call.ErrorCode,
        ErrorMessage = call.ErrorMessage,
        RecordingUrl = call.RecordingUrl,
        NodeId = call.NodeId,
        Uri = ApiLinks.CallPath(call.Sid),
    };
}
