using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>
/// Where a call's voice application comes from: a URL fetched when the call is answered (Method,
/// default POST), with an optional FallbackUrl tried when that fetch or its document fails; or an
/// inline <see cref="Document"/> (Twilio's Twiml parameter).
/// </summary>
public sealed record VoiceApplicationRequest
{
    public Uri? Url { get; init; }

    public RequestMethod Method { get; init; } = RequestMethod.Post;

    public Uri? FallbackUrl { get; init; }

    public RequestMethod FallbackMethod { get; init; } = RequestMethod.Post;

    /// <summary>A document to run instead of fetching <see cref="Url"/>; relative URLs in it resolve against <see cref="Url"/> if set.</summary>
    public string? Document { get; init; }
}
