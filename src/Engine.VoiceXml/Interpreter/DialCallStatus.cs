namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>How a &lt;Dial&gt; ended, sent to its action as DialCallStatus.</summary>
public enum DialCallStatus
{
    /// <summary>The dialed party answered and the bridged call has ended normally.</summary>
    Completed,

    /// <summary>The dialed party answered and the caller is still connected (e.g. hangupOnStar).</summary>
    Answered,

    Busy,

    NoAnswer,

    Failed,

    Canceled,
}
