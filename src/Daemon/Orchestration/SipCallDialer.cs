using Dialtone.Daemon.Calls;
using Dialtone.Engine.VoiceXml.Interpreter;
using Dialtone.Engine.VoiceXml.Verbs;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// Places API calls over SIP and drives them to their end (<see cref="ICallDialer"/>): the A-leg
/// through the trunk, <c>senddigits</c> once it is answered, then the voice application from
/// <c>url</c>/<c>twiml</c> (restarted on an API redirect), or, without one, click-to-call: dial
/// <c>from</c> and bridge the two legs. TimeLimit and the API's hang-up end the call at any point.
/// </summary>
public sealed class SipCallDialer(TelephonyServices services) : ICallDialer
{
    public async Task DialAsync(LiveCall call, CancellationToken cancellationToken)
    {
        await using var runner = new LegRunner(call, services);
        var redirects = new Mailbox<CallRedirect>();
        runner.RedirectRequested += redirect => redirects.TryWrite(redirect);

        bool answered;
        try
        {
            answered = await runner.RingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown past its grace period while ringing.
            runner.Leg?.HangUp();
            await runner.FinishAsync(hangUp: true, cancellationToken: CancellationToken.None).ConfigureAwait(false);
            return;
        }
        if (!answered)
            return;

        OutboundLeg leg = runner.Leg!;
        CallRequest request = call.Record.Request;
        var session = new VoiceSession(call, leg, services, FactsOf(call), request.Dialect == CallbackDialect.Twilio ? "in-progress" : "answered");
        if (request.Record)
            session.StartWholeCallRecording();

        using var callScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // The call's work stops the moment the leg is over (far-end BYE, API hang-up, time limit).
        _ = leg.Over.ContinueWith(static (_, state) => ((CancellationTokenSource)state!).Cancel(), callScope, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        using ITimer timeLimit = services.Time.CreateTimer(static state => ((OutboundLeg)state!).HangUp(), leg, TimeSpan.FromSeconds(request.TimeLimitSeconds), Timeout.InfiniteTimeSpan);

        CallEnd? appError = null;
        try
        {
            await Task.Delay(services.AnswerSettle, services.Time, callScope.Token).ConfigureAwait(false);
            if (!string.IsNullOrEmpty(request.SendDigits))
                await leg.Media.SendDigitsAsync(request.SendDigits, callScope.Token).ConfigureAwait(false);

            if (request.Url is not null || request.Twiml is not null)
                appError = await RunApplicationAsync(session, ApplicationOf(request), redirects, callScope.Token).ConfigureAwait(false);
            else
                await ClickToCallAsync(call, leg, callScope.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The leg ended or the daemon is stopping: fall through to report the end.
        }
        catch (Exception e)
        {
            services.Logger.LogError(e, "call {CallSid}: orchestration failed", call.Sid);
            appError = new CallEnd(CallStatus.Completed, ErrorCode: "internal-error", ErrorMessage: e.Message);
        }

        string? recording = session.StopWholeCallRecording();
        await runner.FinishAsync(
            hangUp: true,
            new CallEnd(CallStatus.Completed, ErrorCode: appError?.ErrorCode, ErrorMessage: appError?.ErrorMessage, RecordingPath: recording),
            CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the application until it ends; an API redirect drops the running document and starts the
    /// new one (Twilio's "modify a live call"). Returns the application's error, if it failed.
    /// </summary>
    private async Task<CallEnd?> RunApplicationAsync(VoiceSession session, VoiceApplicationRequest application, Mailbox<CallRedirect> redirects, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var app = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task<InterpreterOutcome> running = services.Interpreter.RunAsync(session, application, app.Token);
            // Not canceled with the application: a canceled wait completes by throwing, once per call.
            // Left waiting when the application ends, it goes with the call's mailbox.
            Task<bool> redirected = redirects.WaitToReadAsync(CancellationToken.None).AsTask();
            Task first = await Task.WhenAny(running, redirected).ConfigureAwait(false);
            if (first == redirected && redirected.Result && redirects.TryRead(out CallRedirect? redirect))
            {
                await app.CancelAsync().ConfigureAwait(false);
                await running.ConfigureAwait(false);
                application = new VoiceApplicationRequest
                {
                    Url = redirect.Url is null ? null : new Uri(redirect.Url),
                    Method = redirect.Method == HttpMethodKind.Get ? RequestMethod.Get : RequestMethod.Post,
                    Document = redirect.Twiml,
                };
                continue;
            }
            await app.CancelAsync().ConfigureAwait(false);
            InterpreterOutcome outcome = await running.ConfigureAwait(false);
            if (outcome.ErrorCode is not null)
            {
                services.Logger.LogWarning("call {CallSid}: voice application error {ErrorCode}: {ErrorMessage}", session.Facts.CallSid, outcome.ErrorCode, outcome.ErrorMessage);
                return new CallEnd(CallStatus.Completed, ErrorCode: outcome.ErrorCode, ErrorMessage: outcome.ErrorMessage);
            }
            return null;
        }
    }

    /// <summary>No application: the callee (<c>to</c>) answered, so ring <c>from</c> and bridge the two, showing the callee's number.</summary>
    private async Task ClickToCallAsync(LiveCall call, OutboundLeg leg, CancellationToken cancellationToken)
    {
        CallRequest request = call.Record.Request;
        var dial = new DialVerb([new DialTarget(DialTargetKind.Number, request.From)])
        {
            CallerId = request.To.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) ? request.CallerId ?? request.From : request.To,
            Timeout = TimeSpan.FromSeconds(request.TimeoutSeconds),
            TimeLimit = TimeSpan.FromSeconds(request.TimeLimitSeconds),
        };
        await new DialRunner(call, leg, services).DialAsync(dial, cancellationToken).ConfigureAwait(false);
    }

    private static VoiceApplicationRequest ApplicationOf(CallRequest request) => new()
    {
        Url = request.Url is null ? null : new Uri(request.Url),
        Method = request.Method == HttpMethodKind.Get ? RequestMethod.Get : RequestMethod.Post,
        FallbackUrl = request.FallbackUrl is null ? null : new Uri(request.FallbackUrl),
        FallbackMethod = request.FallbackMethod == HttpMethodKind.Get ? RequestMethod.Get : RequestMethod.Post,
        Document = request.Url is null ? request.Twiml : null,
    };

    /// <summary>The standard request fields for the app, in the call's dialect (DESIGN.md §2, §3).</summary>
    private static CallFacts FactsOf(LiveCall call)
    {
        CallRecord record = call.Record;
        bool twilio = record.Request.Dialect == CallbackDialect.Twilio;
        string direction = twilio ? (record.Direction == CallDirection.OutboundDial ? "outbound-dial" : "outbound-api") : "Outbound";
        return new CallFacts(record.Sid, record.AccountSid, record.Request.From, record.Request.To, direction)
        {
            ExtraParameters =
            [
                new("Called", record.Request.To),
                new("Caller", record.Request.From),
            ],
        };
    }
}
