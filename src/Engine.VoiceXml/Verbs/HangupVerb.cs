namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>&lt;Hangup&gt;: end the call; nothing after it runs.</summary>
public sealed record HangupVerb : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Hangup;
}
