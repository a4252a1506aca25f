namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>
/// One instruction of a didML/TwiML document, parsed and validated. Verbs are immutable; the
/// interpreter runs them against an <c>IVoiceCall</c>.
/// </summary>
public abstract record VoiceVerb
{
    /// <summary>Which verb this is (for switches that do not want type tests).</summary>
    public abstract VerbKind Kind { get; }

    /// <summary>Line of the verb's start tag in its document (1-based; 0 when unknown).</summary>
    public int Line { get; init; }
}
