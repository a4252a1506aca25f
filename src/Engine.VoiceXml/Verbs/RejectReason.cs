namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>The reason attribute of &lt;Reject&gt; (Twilio: default rejected).</summary>
public enum RejectReason
{
    Rejected,
    Busy,
}
