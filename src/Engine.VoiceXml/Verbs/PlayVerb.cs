namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>
/// &lt;Play&gt;: play the audio at <see cref="Url"/>, or, when <see cref="Digits"/> is set, send those
/// DTMF digits instead (Twilio semantics: the URL is then not fetched).
/// </summary>
public sealed record PlayVerb : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Play;

    /// <summary>The absolute http(s) URL of a WAV or MP3 file; null when <see cref="Digits"/> is set.</summary>
    public Uri? Url { get; init; }

    /// <summary>DTMF to send (0-9, *, #, A-D, w = 0.5 s pause, W = 1 s pause), or null to play <see cref="Url"/>.</summary>
    public string? Digits { get; init; }

    /// <summary>How many times to play, 1..1000. loop="0" (until the call ends, at most 1000 times) is stored as 1000.</summary>
    public int Loop { get; init; } = 1;
}
