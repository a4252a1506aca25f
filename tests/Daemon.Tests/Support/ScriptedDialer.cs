using System.Collections.Concurrent;
using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Tests.Support;

/// <summary>
/// A stand-in for the orchestration, driving each call through the states a real one would report,
/// chosen by the number dialed, and obeying API commands:
/// <list type="bullet">
/// <item><c>+15550100</c>: rings (180), answers (200), talks until hung up or 200 ms, ends completed.</item>
/// <item><c>+15550486</c>: rings, then 486 Busy Here.</item>
/// <item><c>+15550487</c>: rings until canceled or hung up (then 487), or its ring timeout (no-answer).</item>
/// <item><c>+15550200</c>: answers and stays up until hung up, recording every redirect.</item>
/// <item><c>+15550500</c>: answers, then ends with an application error.</item>
/// <item><c>+15550300</c>: answers, dials a B-leg back to From (answered, completed), then ends.</item>
/// <item><c>+15550777</c>: answers and ends with a recording written to <see cref="RecordingDirectory"/>.</item>
/// </list>
/// </summary>
public sealed class ScriptedDialer : ICallDialer
{
    public ConcurrentQueue<(string Sid, CallRedirect Redirect)> Redirects { get; } = new();

    public ConcurrentDictionary<string, LiveCall> Dialed { get; } = new();

    public string? RecordingDirectory { get; set; }

    public async Task DialAsync(LiveCall call, CancellationToken cancellationToken)
    {
        Dialed[call.Sid] = call;
        if ((await call.ReportInitiatedAsync(cancellationToken)).Verdict != CallTransitionVerdict.Allowed)
            return;
        switch (call.Record.Request.To)
        {
            case "+15550486":
                await call.ReportRingingAsync(180, cancellationToken);
                await call.ReportEndedAsync(new CallEnd(SipOutcome.FinalStatusOf(486)!.Value, 486), cancellationToken);
                return;
            case "+15550487":
            {
                await call.ReportRingingAsync(180, cancellationToken);
                var command = await NextCommandAsync(call, TimeSpan.FromSeconds(call.Record.Request.TimeoutSeconds), cancellationToken);
                var cause = command is null ? CallEndCause.RingTimeout : CallEndCause.ApiCancel;
                await call.ReportEndedAsync(new CallEnd(SipOutcome.FinalStatusOf(487, cause)!.Value, 487), cancellationToken);
                return;
            }
            case "+15550200":
                await call.ReportRingingAsync(180, cancellationToken);
                await call.ReportAnsweredAsync(200, cancellationToken);
                while (true)
                {
                    var command = await NextCommandAsync(call, Timeout.InfiniteTimeSpan, cancellationToken);
                    if (command?.Kind == CallCommandKind.Redirect)
                    {
                        Redirects.Enqueue((call.Sid, command.Redirect!));
                        continue;
                    }
                    await call.ReportEndedAsync(new CallEnd(CallStatus.Completed, 200), cancellationToken);
                    return;
                }
            case "+15550500":
                await call.ReportAnsweredAsync(200, cancellationToken);
                await call.ReportEndedAsync(new CallEnd(CallStatus.Completed, 200, "12100", "Document parse failure"), cancellationToken);
                return;
            case "+15550777":
            {
                await call.ReportRingingAsync(183, cancellationToken);
                await call.ReportAnsweredAsync(200, cancellationToken);
                var path = Path.Combine(RecordingDirectory!, call.Sid + ".wav");
                await File.WriteAllBytesAsync(path, TestWav.Make(800), cancellationToken);
                await call.ReportEndedAsync(new CallEnd(CallStatus.Completed, 200, RecordingPath: path), cancellationToken);
                return;
            }
            case "+15550300":
            {
                // Click-to-call style: answered, then a B-leg to the caller is dialed and answered.
                await call.ReportRingingAsync(180, cancellationToken);
                await call.ReportAnsweredAsync(200, cancellationToken);
                var leg = await call.StartChildLegAsync(new ChildLegRequest { To = call.Record.Request.From, From = call.Record.Request.To }, cancellationToken);
                await leg.ReportInitiatedAsync(cancellationToken);
                await leg.ReportRingingAsync(180, cancellationToken);
                await leg.ReportAnsweredAsync(200, cancellationToken);
                await leg.ReportEndedAsync(new CallEnd(CallStatus.Completed, 200), cancellationToken);
                await call.ReportEndedAsync(new CallEnd(CallStatus.Completed, 200), cancellationToken);
                return;
            }
            default:
                await call.ReportRingingAsync(180, cancellationToken);
                await call.ReportAnsweredAsync(200, cancellationToken);
                await NextCommandAsync(call, TimeSpan.FromMilliseconds(200), cancellationToken);
                await call.ReportEndedAsync(new CallEnd(CallStatus.Completed, 200), cancellationToken);
                return;
        }
    }

    private static async Task<CallCommand?> NextCommandAsync(LiveCall call, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (wait != Timeout.InfiniteTimeSpan)
            timeout.CancelAfter(wait);
        try
        {
            while (await call.Commands.WaitToReadAsync(timeout.Token))
            {
                if (call.Commands.TryRead(out CallCommand? command))
                    return command;
            }
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
