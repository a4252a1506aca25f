using Dialtone.Engine.VoiceXml.Fetching;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>
/// Runs voice applications: fetches the app's document, streams its verbs, and carries each out
/// against an <see cref="IVoiceCall"/>, following actions and redirects until the application ends.
/// One instance serves every call (it holds no per-call state).
/// </summary>
public sealed class VoiceInterpreter
{
    private readonly VoiceDocumentFetcher _fetcher;
    private readonly VoiceInterpreterOptions _options;
    private readonly TimeProvider _time;

    /// <param name="fetcher">Fetches documents (its HttpClient carries the outbound address guard).</param>
    /// <param name="options">Limits and the warning hook.</param>
    /// <param name="time">Clock for Pause and the Gather timeout (tests pass a fake clock).</param>
    public VoiceInterpreter(VoiceDocumentFetcher fetcher, VoiceInterpreterOptions? options = null, TimeProvider? time = null)
    {
        _fetcher = fetcher;
        _options = options ?? VoiceInterpreterOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs the application on <paramref name="call"/> until it hangs up, rejects, runs out of verbs or
    /// fails. Never throws for document or network problems: they end in an outcome with an error
    /// code, after the call has been hung up. Cancelling <paramref name="cancellationToken"/> stops the
    /// run at the next await and returns <see cref="InterpreterEndReason.Cancelled"/> without hanging up.
    /// </summary>
    public Task<InterpreterOutcome> RunAsync(IVoiceCall call, VoiceApplicationRequest application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(application);
        if (application.Url is null && application.Document is null)
            throw new ArgumentException("a voice application needs a URL or an inline document", nameof(application));
        return new CallSession(call, application, _fetcher, _options, _time, cancellationToken).RunAsync();
    }
}
