namespace Dialtone.Daemon.Calls;

/// <summary>A validated request to place a call: what the customer asked for, in domain terms.</summary>
public sealed record CallRequest
{
    /// <summary>Twilio's default ring timeout (seconds).</summary>
    public const int DefaultTimeoutSeconds = 60;

    /// <summary>Twilio's default maximum call length: 4 hours.</summary>
    public const int DefaultTimeLimitSeconds = 4 * 60 * 60;

    /// <summary>Caller ID: an E.164 number or a <c>sip:</c> URI.</summary>
    public required string From { get; init; }

    /// <summary>The number or <c>sip:</c> URI dialed.</summary>
    public required string To { get; init; }

    /// <summary>Twilio's <c>CallerId</c>: the identity presented on the trunk instead of <see cref="From"/> when set.</summary>
    public string? CallerId { get; init; }

    /// <summary>The voice application fetched on answer; none (and no <see cref="Twiml"/>) means click-to-call.</summary>
    public string? Url { get; init; }

    public HttpMethodKind Method { get; init; } = HttpMethodKind.Post;

    public string? FallbackUrl { get; init; }

    public HttpMethodKind FallbackMethod { get; init; } = HttpMethodKind.Post;

    /// <summary>An inline didML/TwiML document, instead of <see cref="Url"/>.</summary>
    public string? Twiml { get; init; }

    /// <summary>Digits sent as RFC 4733 events once answered: <c>0-9*#A-D</c>, <c>w</c> (0.5 s), <c>W</c> (1 s).</summary>
    public string? SendDigits { get; init; }

    public int TimeoutSeconds { get; init; } = DefaultTimeoutSeconds;

    public int TimeLimitSeconds { get; init; } = DefaultTimeLimitSeconds;

    /// <summary>Record the whole call.</summary>
    public bool Record { get; init; }

    public string? StatusCallback { get; init; }

    public HttpMethodKind StatusCallbackMethod { get; init; } = HttpMethodKind.Post;

    public CallEvent StatusCallbackEvents { get; init; } = CallEvent.Completed;

    /// <summary>The seed's <c>secretKey</c>, returned on every callback as <c>apikey</c>. A secret: never logged.</summary>
    public string? SecretKey { get; init; }

    /// <summary>The seed's <c>optional</c> token (e.g. <c>token=123456</c>), appended to the callback URL's query.</summary>
    public string? Optional { get; init; }

    public CallbackDialect Dialect { get; init; } = CallbackDialect.Seed;
}
