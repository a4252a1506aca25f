namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>
/// What the interpreter sends about the call with every document, action and redirect request (the
/// standard TwiML request parameters). The daemon fills the values in its dialect: the seed's
/// ("Outbound") or Twilio's ("outbound-api").
/// </summary>
public sealed record CallFacts(string CallSid, string AccountSid, string From, string To, string Direction)
{
    /// <summary>More parameters sent with every request (e.g. ApiVersion, Called, Caller), or empty.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraParameters { get; init; } = [];
}
