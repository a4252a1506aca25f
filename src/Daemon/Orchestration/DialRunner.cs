using Dialtone.Daemon.Calls;
using Dialtone.Engine.Rtp.Bridging;
using Dialtone.Engine.Rtp.Recording;
using Dialtone.Engine.VoiceXml.Interpreter;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// &lt;Dial&gt; (and click-to-call): rings every target at once as B-legs of the call (own sid,
/// ParentCallSid = the A-leg), bridges the first that answers to the A-leg and cancels the rest,
/// then waits until either side hangs up or the time limit is reached (TwiML semantics).
/// </summary>
public sealed class DialRunner(LiveCall parent, OutboundLeg parentLeg, TelephonyServices services)
{
    public async ValueTask<DialResult> DialAsync(DialVerb dial, CancellationToken cancellationToken)
    {
        string callerId = dial.CallerId ?? parent.Record.Request.CallerId ?? parent.Record.Request.From;
        var runners = new List<LegRunner>();
        try
        {
            foreach (DialTarget target in dial.Targets)
            {
                LiveCall child = await parent.StartChildLegAsync(new ChildLegRequest
                {
                    To = target.Address,
                    From = callerId,
                    TimeoutSeconds = (int)Math.Clamp(dial.Timeout.TotalSeconds, 1, 600),
                    TimeLimitSeconds = (int)Math.Clamp(dial.TimeLimit.TotalSeconds, 1, CallRequest.DefaultTimeLimitSeconds),
                    Record = dial.Record != DialRecordMode.DoNotRecord,
                    SendDigits = target.SendDigits,
                }, cancellationToken).ConfigureAwait(false);
                runners.Add(new LegRunner(child, services));
            }
            if (runners.Count == 0)
                return new DialResult(DialCallStatus.Failed, null, TimeSpan.Zero);

            LegRunner? winner = await RingAllAsync(runners, cancellationToken).ConfigureAwait(false);
            if (winner is null)
                return new DialResult(await BestFailureAsync(runners).ConfigureAwait(false), runners.Count == 1 ? runners[0].Call.Sid : null, TimeSpan.Zero);
            return await ConnectAsync(dial, winner, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (LegRunner runner in runners)
                await runner.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Rings all legs; the first to answer wins, the others are cancelled (and report canceled).</summary>
    private static async Task<LegRunner?> RingAllAsync(List<LegRunner> runners, CancellationToken cancellationToken)
    {
        var ringing = runners.ToDictionary(r => r.RingAsync(cancellationToken), r => r);
        LegRunner? winner = null;
        while (ringing.Count > 0)
        {
            Task<bool> done;
            using (cancellationToken.Register(() =>
            {
                // The A-leg hung up (or the app was redirected) while the B-legs ring: cancel them all.
                foreach (LegRunner r in ringing.Values)
                    r.Leg?.HangUp();
            }))
            {
                done = await Task.WhenAny(ringing.Keys).ConfigureAwait(false);
            }
            LegRunner runner = ringing[done];
            ringing.Remove(done);
            if (await done.ConfigureAwait(false) && winner is null)
            {
                winner = runner;
                foreach (LegRunner other in ringing.Values)
                    other.Leg?.HangUp();
            }
            else if (await done.ConfigureAwait(false))
            {
                // Answered a moment after the winner: hang it up at once.
                await runner.FinishAsync(hangUp: true).ConfigureAwait(false);
            }
        }
        if (winner is not null && cancellationToken.IsCancellationRequested)
        {
            await winner.FinishAsync(hangUp: true).ConfigureAwait(false);
            return null;
        }
        return winner;
    }

    private async Task<DialResult> ConnectAsync(DialVerb dial, LegRunner winner, CancellationToken cancellationToken)
    {
        OutboundLeg leg = winner.Leg!;
        CallRequest childRequest = winner.Call.Record.Request;
        if (!string.IsNullOrEmpty(childRequest.SendDigits))
        {
            try
            {
                await leg.Media.SendDigitsAsync(childRequest.SendDigits, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        CallRecording? recording = null;
        if (childRequest.Record)
        {
            string path = services.Recordings.DefaultPathOf(winner.Call.Sid);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            recording = CallRecording.Start(leg.Media.Stream, path, Engine.Rtp.Audio.RecordingChannels.Stereo, services.Time);
        }

        using var hangupOnStar = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task star = dial.HangupOnStar ? WaitForStarAsync(hangupOnStar.Token) : Task.Delay(Timeout.Infinite, hangupOnStar.Token);
        Task limit = Task.Delay(dial.TimeLimit, services.Time, hangupOnStar.Token);
        using (MediaBridge.Connect(parentLeg.Media.Stream, leg.Media.Stream))
        {
            await Task.WhenAny(leg.Over, parentLeg.Over, star, limit, Task.Delay(Timeout.Infinite, cancellationToken)).ConfigureAwait(false);
        }
        await hangupOnStar.CancelAsync().ConfigureAwait(false);

        TimeSpan duration = leg.ConnectedFor();
        string? recordingPath = null;
        if (recording is not null)
        {
            recording.Stop();
            recordingPath = recording.FilePath;
            recording.Dispose();
        }
        await winner.FinishAsync(hangUp: !leg.Over.IsCompleted, recordingPath is null ? null : new CallEnd(CallStatus.Completed, RecordingPath: recordingPath)).ConfigureAwait(false);
        var result = new DialResult(DialCallStatus.Completed, winner.Call.Sid, duration);
        return recordingPath is null ? result : result with { RecordingUrl = new Uri(services.Links.RecordingUrl(winner.Call.Sid)) };
    }

    private async Task WaitForStarAsync(CancellationToken cancellationToken)
    {
        while (await parentLeg.Media.ReadDigitAsync(cancellationToken).ConfigureAwait(false) != '*')
        {
        }
    }

    /// <summary>What to tell the app when nobody answered: busy beats no-answer beats failed (Twilio reports the most telling).</summary>
    private static async Task<DialCallStatus> BestFailureAsync(List<LegRunner> runners)
    {
        var statuses = new List<CallStatus>();
        foreach (LegRunner runner in runners)
        {
            try
            {
                CallRecord record = await runner.Call.Ended.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                statuses.Add(record.Status);
            }
            catch (TimeoutException)
            {
                statuses.Add(CallStatus.Failed);
            }
        }
        if (statuses.Contains(CallStatus.Busy))
            return DialCallStatus.Busy;
        if (statuses.Contains(CallStatus.NoAnswer))
            return DialCallStatus.NoAnswer;
        if (statuses.Contains(CallStatus.Canceled))
            return DialCallStatus.Canceled;
        return DialCallStatus.Failed;
    }
}
