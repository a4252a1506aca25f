namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>Timeouts and limits for fetching voice documents over HTTP.</summary>
public sealed record VoiceFetchOptions
{
    public static VoiceFetchOptions Default { get; } = new();

    /// <summary>Longest TCP (and TLS) connect (default 5 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Longest wait from sending the request to having the response headers (default 15 s, the
    /// time Twilio gives a webhook before its error 11205).
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Longest silence while reading the body (default 15 s). Not an overall limit: a streamed document
    /// may legitimately trickle in while its first verbs already play.
    /// </summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>HTTP redirects (301/302/303/307/308) followed per request (default 5); each hop is vetted by the guard.</summary>
    public int MaxAutomaticRedirections { get; init; } = 5;

    /// <summary>The User-Agent header sent with every request.</summary>
    public string UserAgent { get; init; } = "Dialtone/0.1";

    /// <summary>
    /// Called on each request before it is sent, with the form fields it carries (for example to add a
    /// request signature such as X-Twilio-Signature). Null: nothing is added.
    /// </summary>
    public Action<HttpRequestMessage, IReadOnlyList<KeyValuePair<string, string>>>? ConfigureRequest { get; init; }
}
