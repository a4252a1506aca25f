namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>The verbs Dialtone understands (DESIGN.md §3).</summary>
public enum VerbKind
{
    Say,
    Play,
    Pause,
    Gather,
    Dial,
    Record,
    Recording,
    Redirect,
    Hangup,
    Reject,
}
