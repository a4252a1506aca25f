using System.Globalization;
using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Api;

/// <summary>
/// A call in Twilio's exact shape (API version 2010-04-01): the fields its Call resource has, RFC 2822
/// dates, <c>duration</c> and <c>queue_time</c> as strings. Fields Dialtone has no notion of (price,
/// annotation, answered_by...) are present and null, as Twilio sends them before they are known.
/// </summary>
public sealed record TwilioCallResource
{
    public required string Sid { get; init; }
    public required string AccountSid { get; init; }
    public string? Annotation { get; init; }
    public string? AnsweredBy { get; init; }
    public string ApiVersion { get; init; } = CallbackFields.TwilioApiVersion;
    public string? CallerName { get; init; }
    public required string DateCreated { get; init; }
    public required string DateUpdated { get; init; }
    public required string Direction { get; init; }
    public string? Duration { get; init; }
    public string? EndTime { get; init; }
    public string? ForwardedFrom { get; init; }
    public required string From { get; init; }
    public required string FromFormatted { get; init; }
    public string? GroupSid { get; init; }
    public string? ParentCallSid { get; init; }
    public string? PhoneNumberSid { get; init; }
    public string? Price { get; init; }
    public string PriceUnit { get; init; } = "USD";
    public string? QueueTime { get; init; }
    public string? StartTime { get; init; }
    public required string Status { get; init; }
    public required IReadOnlyDictionary<string, string> SubresourceUris { get; init; }
    public required string To { get; init; }
    public required string ToFormatted { get; init; }
    public string? TrunkSid { get; init; }
    public required string Uri { get; init; }

    public static TwilioCallResource Of(CallRecord call) => new()
    {
        Sid = call.Sid,
        AccountSid = call.AccountSid,
        DateCreated = Rfc2822.Format(call.CreatedAt),
        DateUpdated = Rfc2822.Format(call.UpdatedAt),
        Direction = CallDirectionText.Of(call.Direction),
        Duration = call.DurationSeconds?.ToString(CultureInfo.InvariantCulture),
        EndTime = Rfc2822.Format(call.EndedAt),
        From = call.Request.From,
        FromFormatted = call.Request.From,
        ParentCallSid = call.ParentSid,
        QueueTime = call.StartedAt is { } started ? ((long)(started - call.CreatedAt).TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "0",
        StartTime = Rfc2822.Format(call.StartedAt),
        Status = CallStatusText.Of(call.Status),
        SubresourceUris = new Dictionary<string, string>(),
        To = call.Request.To,
        ToFormatted = call.Request.To,
        Uri = ApiLinks.TwilioCallPath(call.AccountSid, call.Sid),
    };
}
