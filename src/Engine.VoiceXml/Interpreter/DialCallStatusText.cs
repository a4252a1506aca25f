namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>The wire spelling of <see cref="DialCallStatus"/> (Twilio's values).</summary>
public static class DialCallStatusText
{
    public static string ToWire(this DialCallStatus status) => status switch
    {
        DialCallStatus.Completed => "completed",
        DialCallStatus.Answered => "answered",
        DialCallStatus.Busy => "busy",
        DialCallStatus.NoAnswer => "no-answer",
        DialCallStatus.Failed => "failed",
        DialCallStatus.Canceled => "canceled",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };
}
