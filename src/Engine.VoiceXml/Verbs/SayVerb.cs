namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>
/// &lt;Say&gt;: speak <see cref="Text"/> to the caller. SSML-like child elements are flattened to
/// their text; the speech engine picks a voice from <see cref="Voice"/> and <see cref="Language"/>.
/// </summary>
public sealed record SayVerb(string Text) : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Say;

    /// <summary>The voice attribute as written (man, woman, alice, Polly.Joanna...), or null for the default.</summary>
    public string? Voice { get; init; }

    /// <summary>The language attribute as written (en-US, fr-FR...), or null for the default.</summary>
    public string? Language { get; init; }

    /// <summary>How many times to speak the text, 1..1000. loop="0" (Twilio: until the call ends) is stored as 1000.</summary>
    public int Loop { get; init; } = 1;
}
