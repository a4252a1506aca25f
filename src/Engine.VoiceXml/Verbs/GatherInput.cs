namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>The input kinds a &lt;Gather&gt; asks for (the input attribute).</summary>
[Flags]
public enum GatherInput
{
    Dtmf = 1,

    /// <summary>Accepted in documents for compatibility; Dialtone collects DTMF only and warns.</summary>
    Speech = 2,
}
