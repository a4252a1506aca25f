namespace Dialtone.Engine.VoiceXml.Parsing;

/// <summary>
/// Bounds on one voice document, so that a hostile or broken server costs bounded memory and time.
/// Every limit is checked while streaming, before the offending input is buffered.
/// </summary>
public sealed record VoiceDocumentLimits
{
    /// <summary>The defaults below.</summary>
    public static VoiceDocumentLimits Default { get; } = new();

    /// <summary>
    /// Largest document body in bytes. 64 KiB is Twilio's own limit on a TwiML response (its error
    /// 11750), so every document that works there works here, and a hand-written IVR uses a few KiB.
    /// </summary>
    public int MaxDocumentBytes { get; init; } = 64 * 1024;

    /// <summary>Deepest element nesting, counting &lt;Response&gt; as 1 (Response/Gather/Say/SSML needs 4).</summary>
    public int MaxDepth { get; init; } = 10;

    /// <summary>Most verbs (top-level, nested and skipped ones) in one document.</summary>
    public int MaxVerbs { get; init; } = 256;

    /// <summary>Longest text of one verb (Say text, URL, number) in characters; Twilio caps &lt;Say&gt; at 4,096.</summary>
    public int MaxTextLength { get; init; } = 4096;

    /// <summary>Most verbs nested in one &lt;Gather&gt;.</summary>
    public int MaxNestedVerbs { get; init; } = 32;

    /// <summary>Most parties in one &lt;Dial&gt; (Twilio allows ten &lt;Number&gt; nouns).</summary>
    public int MaxDialTargets { get; init; } = 10;

    /// <summary>Longest digit string (Play digits, sendDigits).</summary>
    public int MaxDigits { get; init; } = 256;
}
