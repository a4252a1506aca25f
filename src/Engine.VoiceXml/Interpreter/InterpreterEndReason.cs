namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>Why a voice application stopped.</summary>
public enum InterpreterEndReason
{
    /// <summary>The last document ran out of verbs; the call was hung up (Twilio semantics).</summary>
    DocumentEnded,

    /// <summary>A &lt;Hangup&gt; ended the call.</summary>
    HungUp,

    /// <summary>A &lt;Reject&gt; ended the call.</summary>
    Rejected,

    /// <summary>A document could not be fetched or run, the fallback (if any) failed too; the call was hung up.</summary>
    Failed,

    /// <summary>The run was cancelled (the caller hung up, or the API redirected or ended the live call).</summary>
    Cancelled,
}
