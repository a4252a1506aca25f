namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>&lt;Reject&gt;: refuse the call (busy or rejected); nothing after it runs.</summary>
public sealed record RejectVerb(RejectReason Reason) : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Reject;
}
