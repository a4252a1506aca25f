namespace Dialtone.Daemon.Calls;

/// <summary>The wire spelling of <see cref="CallStatus"/> (Twilio's: <c>in-progress</c>, <c>no-answer</c>).</summary>
public static class CallStatusText
{
    public static string Of(CallStatus status) => status switch
    {
        CallStatus.Queued => "queued",
        CallStatus.Initiated => "initiated",
        CallStatus.Ringing => "ringing",
        CallStatus.InProgress => "in-progress",
        CallStatus.Completed => "completed",
        CallStatus.Busy => "busy",
        CallStatus.NoAnswer => "no-answer",
        CallStatus.Failed => "failed",
        CallStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Parses a wire spelling, case-insensitively.</summary>
    public static bool TryParse(string? text, out CallStatus status)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "queued": status = CallStatus.Queued; return true;
            case "initiated": status = CallStatus.Initiated; return true;
            case "ringing": status = CallStatus.Ringing; return true;
            case "in-progress": status = CallStatus.InProgress; return true;
            case "completed": status = CallStatus.Completed; return true;
            case "busy": status = CallStatus.Busy; return true;
            case "no-answer": status = CallStatus.NoAnswer; return true;
            case "failed": status = CallStatus.Failed; return true;
            case "canceled": status = CallStatus.Canceled; return true;
            default: status = default; return false;
        }
    }

    /// <summary>Parses a value read back from storage, where it was written by <see cref="Of"/>.</summary>
    public static CallStatus Parse(string? text) =>
        TryParse(text, out var status) ? status : throw new FormatException($"'{text}' is not a call status");
}
