using Dialtone.Engine.VoiceXml.Parsing;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>Limits and hooks for <see cref="VoiceInterpreter"/>.</summary>
public sealed record VoiceInterpreterOptions
{
    public static VoiceInterpreterOptions Default { get; } = new();

    public VoiceDocumentLimits DocumentLimits { get; init; } = VoiceDocumentLimits.Default;

    /// <summary>
    /// Most &lt;Redirect&gt; verbs followed in one call (default 10). A redirect loop plays nothing and
    /// would hammer the customer's server forever; ten is far more than a real flow chains.
    /// </summary>
    public int MaxRedirectsPerCall { get; init; } = 10;

    /// <summary>
    /// Most documents fetched in one call, counting actions (default 100): bounds a Gather or Record
    /// whose action returns the same document, which the caller's input paces but nothing ends.
    /// </summary>
    public int MaxDocumentsPerCall { get; init; } = 100;

    /// <summary>Called for every warning (unknown verb skipped...), e.g. to log it.</summary>
    public Action<VoiceDiagnostic>? OnWarning { get; init; }
}
