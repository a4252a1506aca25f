namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>&lt;Pause&gt;: wait silently for <see cref="Length"/> (default 1 s).</summary>
public sealed record PauseVerb(TimeSpan Length) : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Pause;
}
