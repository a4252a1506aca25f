namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>What a &lt;Dial&gt; target addresses.</summary>
public enum DialTargetKind
{
    /// <summary>A telephone number (&lt;Number&gt; or the Dial's text).</summary>
    Number,

    /// <summary>A SIP URI (&lt;Sip&gt;, or the Dial's text when it starts with sip:/sips:).</summary>
    Sip,
}
