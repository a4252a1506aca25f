namespace Dialtone.Daemon.Config;

/// <summary>A customer account and its API keys.</summary>
public sealed class AccountOptions
{
    /// <summary><c>AC</c> + 32 hex digits; the Basic-auth user name and the Twilio routes' AccountSid.</summary>
    public string Sid { get; set; } = "";

    public string? Name { get; set; }

    /// <summary>One or more keys (at least 16 characters); the first also signs Twilio-dialect callbacks.</summary>
    public List<string> Keys { get; set; } = [];

    public int? MaxActiveCalls { get; set; }

    public int? MaxQueuedCalls { get; set; }
}
