using System.Globalization;
using System.Text;
using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Fetching;
using Dialtone.Engine.VoiceXml.Parsing;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Interpreter;

/// <summary>One run of a voice application on one call: the state <see cref="VoiceInterpreter"/> must not hold.</summary>
internal sealed class CallSession
{
    private readonly IVoiceCall _call;
    private readonly VoiceApplicationRequest _application;
    private readonly VoiceDocumentFetcher _fetcher;
    private readonly VoiceInterpreterOptions _options;
    private readonly TimeProvider _time;
    private readonly CancellationToken _cancellation;
    private readonly List<VoiceDiagnostic> _warnings = [];
    private readonly Action<VoiceDiagnostic> _onWarning;
    private OpenDocument? _document;
    private int _documentsFetched;
    private int _redirects;
    private int _verbsExecuted;
    private bool _usedFallback;
    private bool _onFirstDocument = true;

    public CallSession(IVoiceCall call, VoiceApplicationRequest application, VoiceDocumentFetcher fetcher, VoiceInterpreterOptions options, TimeProvider time, CancellationToken cancellation)
    {
        _call = call;
        _application = application;
        _fetcher = fetcher;
        _options = options;
        _time = time;
        _cancellation = cancellation;
        _onWarning = diagnostic =>
        {
            _warnings.Add(diagnostic);
            _options.OnWarning?.Invoke(diagnostic);
        };
    }

    public async Task<InterpreterOutcome> RunAsync()
    {
        try
        {
            _document = await OpenFirstDocumentAsync().ConfigureAwait(false);
            while (true)
            {
                VoiceVerb? verb;
                try
                {
                    verb = await _document.ReadAsync(_cancellation).ConfigureAwait(false);
                }
                catch (VoiceAppException ex) when (_onFirstDocument && !_usedFallback && _application.FallbackUrl is not null && _application.Document is null)
                {
                    // The first document broke mid-stream (malformed, too large, invalid verb): the
                    // FallbackUrl covers "retrieving or executing" the app's document, as in Twilio.
                    Replace(await FetchFallbackAsync(ex).ConfigureAwait(false));
                    continue;
                }
                if (verb is null)
                {
                    // Twilio: when the document runs out of verbs, the call is hung up.
                    await _call.HangupAsync(_cancellation).ConfigureAwait(false);
                    return Outcome(InterpreterEndReason.DocumentEnded);
                }
                _verbsExecuted++;
                var end = await ExecuteAsync(verb).ConfigureAwait(false);
                if (end is not null)
                    return end;
            }
        }
        catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
        {
            return Outcome(InterpreterEndReason.Cancelled);
        }
        catch (VoiceAppException ex)
        {
            return await FailAsync(ex.Code, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            return await FailAsync(VoiceAppErrorCode.CallFailed, $"the call failed while running the application: {ex.Message}").ConfigureAwait(false);
        }
        finally
        {
            _document?.Dispose();
        }
    }

    private async Task<InterpreterOutcome> FailAsync(string code, string message)
    {
        // DESIGN.md §3: on an error that the fallback did not cure, say nothing more and hang up.
        try
        {
            await _call.HangupAsync(_cancellation).ConfigureAwait(false);
        }
        catch (Exception) when (!_cancellation.IsCancellationRequested)
        {
            // The call may already be gone; the error to report is the one that got us here.
        }
        catch (OperationCanceledException)
        {
        }
        return Outcome(InterpreterEndReason.Failed) with { ErrorCode = code, ErrorMessage = message };
    }

    private InterpreterOutcome Outcome(InterpreterEndReason reason) => new(reason)
    {
        Warnings = _warnings.ToArray(),
        DocumentsFetched = _documentsFetched,
        VerbsExecuted = _verbsExecuted,
    };

    private void Replace(OpenDocument next)
    {
        _document?.Dispose();
        _document = next;
    }

    private async Task<OpenDocument> OpenFirstDocumentAsync()
    {
        if (_application.Document is { } inline)
            return new OpenDocument(VoiceDocumentReader.FromString(inline, _application.Url, _options.DocumentLimits, _onWarning), _application.Url, null);
        try
        {
            return await FetchAsync(new DocumentRequest(_application.Url!, _application.Method, StandardFields())).ConfigureAwait(false);
        }
        catch (VoiceAppException ex) when (_application.FallbackUrl is not null)
        {
            return await FetchFallbackAsync(ex).ConfigureAwait(false);
        }
    }

    private Task<OpenDocument> FetchFallbackAsync(VoiceAppException error)
    {
        _usedFallback = true;
        var warning = new VoiceDiagnostic($"the application URL failed ({error.Code}: {error.Message}); trying the fallback URL", 0, 0);
        _onWarning(warning);
        // Twilio tells the fallback what went wrong with ErrorCode and ErrorUrl.
        var fields = StandardFields();
        fields.Add(new("ErrorCode", error.Code));
        fields.Add(new("ErrorUrl", _application.Url!.ToString()));
        return FetchAsync(new DocumentRequest(_application.FallbackUrl!, _application.FallbackMethod, fields));
    }

    private async Task<OpenDocument> FetchAsync(DocumentRequest request)
    {
        if (++_documentsFetched > _options.MaxDocumentsPerCall)
            throw new VoiceAppException(VoiceAppErrorCode.RedirectLimit, $"the call fetched more than {_options.MaxDocumentsPerCall} documents");
        var fetched = await _fetcher.FetchAsync(request, _cancellation).ConfigureAwait(false);
        var reader = new VoiceDocumentReader(fetched.Body, fetched.Url, _options.DocumentLimits, _onWarning);
        return new OpenDocument(reader, fetched.Url, fetched);
    }

    private async Task NavigateAsync(Uri url, RequestMethod method, List<KeyValuePair<string, string>> fields)
    {
        // Release the old response before fetching the next: the old document's remaining verbs are unreachable.
        _onFirstDocument = false;
        _document?.Dispose();
        _document = null;
        _document = await FetchAsync(new DocumentRequest(url, method, fields)).ConfigureAwait(false);
    }

    private List<KeyValuePair<string, string>> StandardFields()
    {
        var facts = _call.Facts;
        var fields = new List<KeyValuePair<string, string>>(10 + facts.ExtraParameters.Count)
        {
            new("CallSid", facts.CallSid),
            new("AccountSid", facts.AccountSid),
            new("From", facts.From),
            new("To", facts.To),
            new("CallStatus", _call.CallStatus),
            new("Direction", facts.Direction),
        };
        fields.AddRange(facts.ExtraParameters);
        return fields;
    }

    private Uri ActionUrl(Uri? action, string verb) =>
        action ?? _document?.Url
        ?? throw new VoiceAppException(VoiceAppErrorCode.InvalidUrl, $"<{verb}> has no action and the inline document has no URL to post back to");

    /// <summary>Carries out one top-level verb; returns an outcome when the application is over.</summary>
    private async Task<InterpreterOutcome?> ExecuteAsync(VoiceVerb verb)
    {
        var ct = _cancellation;
        switch (verb)
        {
            case SayVerb or PlayVerb or PauseVerb:
                await ExecutePromptAsync(verb, ct).ConfigureAwait(false);
                return null;

            case GatherVerb gather:
                var (digits, finishedOnKey) = await GatherAsync(gather, ct).ConfigureAwait(false);
                if (digits.Length == 0 && !gather.ActionOnEmptyResult)
                    return null; // Twilio: no input falls through to the next verb.
                var gatherFields = StandardFields();
                gatherFields.Add(new("Digits", digits));
                if (finishedOnKey is { } key)
                    gatherFields.Add(new("FinishedOnKey", key.ToString()));
                await NavigateAsync(ActionUrl(gather.Action, "Gather"), gather.Method, gatherFields).ConfigureAwait(false);
                return null;

            case DialVerb dial:
                var dialed = await _call.DialAsync(dial, ct).ConfigureAwait(false);
                if (dial.Action is null)
                    return null; // Twilio: without an action the document continues after <Dial>.
                var dialFields = StandardFields();
                dialFields.Add(new("DialCallStatus", dialed.Status.ToWire()));
                if (dialed.CallSid is not null)
                    dialFields.Add(new("DialCallSid", dialed.CallSid));
                dialFields.Add(new("DialCallDuration", WholeSeconds(dialed.Duration)));
                if (dialed.RecordingUrl is not null)
                    dialFields.Add(new("RecordingUrl", dialed.RecordingUrl.ToString()));
                if (dialed.RecordingSid is not null)
                    dialFields.Add(new("RecordingSid", dialed.RecordingSid));
                await NavigateAsync(dial.Action, dial.Method, dialFields).ConfigureAwait(false);
                return null;

            case RecordVerb record:
                var recorded = await _call.RecordAsync(record, ct).ConfigureAwait(false);
                if (recorded.RecordingUrl is null || recorded.Duration <= TimeSpan.Zero)
                    return null; // Twilio: an empty recording does not request the action; the document continues.
                var recordFields = StandardFields();
                recordFields.Add(new("RecordingUrl", recorded.RecordingUrl.ToString()));
                recordFields.Add(new("RecordingDuration", WholeSeconds(recorded.Duration)));
                recordFields.Add(new("Digits", recorded.Digits));
                if (recorded.RecordingSid is not null)
                    recordFields.Add(new("RecordingSid", recorded.RecordingSid));
                await NavigateAsync(ActionUrl(record.Action, "Record"), record.Method, recordFields).ConfigureAwait(false);
                return null;

            case RecordingVerb recording:
                await _call.StartCallRecordingAsync(recording, ct).ConfigureAwait(false);
                return null;

            case RedirectVerb redirect:
                if (++_redirects > _options.MaxRedirectsPerCall)
                    throw new VoiceAppException(VoiceAppErrorCode.RedirectLimit, $"the call followed more than {_options.MaxRedirectsPerCall} <Redirect> verbs");
                await NavigateAsync(redirect.Url, redirect.Method, StandardFields()).ConfigureAwait(false);
                return null;

            case HangupVerb:
                await _call.HangupAsync(ct).ConfigureAwait(false);
                return Outcome(InterpreterEndReason.HungUp);

            case RejectVerb reject:
                await _call.RejectAsync(reject.Reason, ct).ConfigureAwait(false);
                return Outcome(InterpreterEndReason.Rejected) with { RejectReason = reject.Reason };

            default:
                throw new InvalidOperationException($"no handler for {verb.Kind}");
        }
    }

    private static string WholeSeconds(TimeSpan duration) =>
        ((long)Math.Round(duration.TotalSeconds, MidpointRounding.AwayFromZero)).ToString(CultureInfo.InvariantCulture);

    private async Task ExecutePromptAsync(VoiceVerb verb, CancellationToken ct)
    {
        switch (verb)
        {
            case SayVerb say:
                if (say.Text.Length > 0)
                    await _call.SayAsync(say.Text, say.Voice, say.Language, say.Loop, ct).ConfigureAwait(false);
                break;
            case PlayVerb { Digits: { } digits }:
                await _call.SendDigitsAsync(digits, ct).ConfigureAwait(false);
                break;
            case PlayVerb play:
                await _call.PlayAsync(play.Url!, play.Loop, ct).ConfigureAwait(false);
                break;
            case PauseVerb pause:
                if (pause.Length > TimeSpan.Zero)
                    await Task.Delay(pause.Length, _time, ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Collects digits for a &lt;Gather&gt;: the prompts play until the first digit (barge-in), then each
    /// further digit must come within the timeout, which starts once the prompts are done (Twilio).
    /// Ends on finishOnKey (not included in the digits), on numDigits, or on the timeout.
    /// </summary>
    private async Task<(string Digits, char? FinishedOnKey)> GatherAsync(GatherVerb gather, CancellationToken ct)
    {
        _call.ClearPendingDigits();
        using var reads = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var digits = new StringBuilder();
        var pending = _call.ReadDigitAsync(reads.Token).AsTask();
        try
        {
            if (gather.Prompts.Count > 0)
                await PlayPromptsAsync(gather.Prompts, pending, ct).ConfigureAwait(false);
            while (true)
            {
                char digit;
                if (pending.IsCompleted)
                {
                    digit = await pending.ConfigureAwait(false);
                }
                else
                {
                    if (gather.Timeout <= TimeSpan.Zero)
                        break;
                    try
                    {
                        digit = await pending.WaitAsync(gather.Timeout, _time, ct).ConfigureAwait(false);
                    }
                    catch (TimeoutException)
                    {
                        break;
                    }
                }
                if (gather.FinishOnKey.Contains(digit))
                    return (digits.ToString(), digit);
                digits.Append(digit);
                if (gather.NumDigits is { } wanted && digits.Length >= wanted)
                    break;
                pending = _call.ReadDigitAsync(reads.Token).AsTask();
            }
            return (digits.ToString(), null);
        }
        finally
        {
            // Abandon the outstanding read, so it cannot swallow a digit meant for a later verb.
            reads.Cancel();
            _ = pending.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private async Task PlayPromptsAsync(IReadOnlyList<VoiceVerb> prompts, Task<char> firstDigit, CancellationToken ct)
    {
        using var bargeIn = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Twilio: "After the first digit is received the audio will stop playing."
        _ = firstDigit.ContinueWith(static (_, state) =>
        {
            try
            {
                ((CancellationTokenSource)state!).Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The prompts were already over.
            }
        }, bargeIn, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        foreach (var prompt in prompts)
        {
            if (firstDigit.IsCompleted)
                return;
            try
            {
                await ExecutePromptAsync(prompt, bargeIn.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested && firstDigit.IsCompleted)
            {
                return;
            }
        }
    }
}
