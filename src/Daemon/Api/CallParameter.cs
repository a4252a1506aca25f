namespace Dialtone.Daemon.Api;

/// <summary>
/// Parameter names of <c>POST /v1/calls</c> and Twilio's Calls.json, as matched case-insensitively:
/// the seed's spelling and Twilio's differ only in case, except where noted.
/// </summary>
public static class CallParameter
{
    public const string From = "From";
    public const string To = "To";
    public const string CallerId = "CallerId";
    public const string Url = "Url";
    public const string Method = "Method";
    public const string FallbackUrl = "FallbackUrl";
    public const string FallbackMethod = "FallbackMethod";
    public const string Twiml = "Twiml";
    public const string SendDigits = "SendDigits";
    public const string Timeout = "Timeout";
    public const string TimeLimit = "TimeLimit";
    public const string Record = "Record";
    public const string StatusCallback = "StatusCallback";
    public const string StatusCallbackEvent = "StatusCallbackEvent";
    public const string StatusCallbackMethod = "StatusCallbackMethod";
    public const string SecretKey = "SecretKey";
    public const string Optional = "Optional";
    public const string Status = "Status";

    /// <summary>Twilio parameters this daemon cannot honour: refused rather than silently ignored.</summary>
    public static IReadOnlyList<string> Unsupported { get; } = ["ApplicationSid", "MachineDetection", "AsyncAmd"];
}
