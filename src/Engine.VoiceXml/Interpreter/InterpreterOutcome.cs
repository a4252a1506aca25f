using Dialtone.Engine.VoiceXml.Parsing;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>How a voice application run ended; the daemon reports the error on the completed callback.</summary>
public sealed record InterpreterOutcome(InterpreterEndReason Reason)
{
    /// <summary>One of <see cref="Errors.VoiceAppErrorCode"/> when <see cref="Reason"/> is Failed, else null.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>The reason given by &lt;Reject&gt;, when <see cref="Reason"/> is Rejected.</summary>
    public RejectReason? RejectReason { get; init; }

    /// <summary>Warnings from every document of the run.</summary>
    public IReadOnlyList<VoiceDiagnostic> Warnings { get; init; } = [];

    /// <summary>Documents fetched over HTTP during the run (initial, fallback, actions, redirects).</summary>
    public int DocumentsFetched { get; init; }

    /// <summary>Top-level verbs run.</summary>
    public int VerbsExecuted { get; init; }
}
