using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Orchestration;
using Dialtone.Daemon.Tests.Support;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Daemon.Tests.Orchestration;

/// <summary>
/// Rtp:InactivityTimeoutSeconds end to end: the daemon places a real call over SIP and RTP on
/// 127.0.0.1 to a callee whose media the test sends by hand, and hangs up an answered call whose far
/// end stopped sending — but not one whose far end keeps sending, nor one it holds.
/// </summary>
public sealed class MediaTimeoutTests
{
    /// <summary>Keeps the call up far longer than any test waits: only a hang-up ends it.</summary>
    private const string LongPause = "<Response><Pause length=\"120\"/></Response>";

    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_call_whose_far_end_stops_sending_is_hung_up_as_a_media_timeout()
    {
        using var callee = new ManualMediaCallee();
        var logs = new CapturedLogs();
        await using var daemon = await StartAsync(callee, timeoutSeconds: 1, logs);
        string sid = await PlaceCallAsync(daemon);
        ManualMediaCall call = await callee.Answered.WaitAsync(Generous);

        // The far end talks for a while (longer than the timeout), then vanishes without a BYE.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2.5));
        long lastPacketAt = await call.SendRtpUntil(stop.Token);

        CallRecord ended = await daemon.WaitUntilFinalAsync(sid, timeout: Generous);
        Assert.Equal(CallStatus.Completed, ended.Status);
        Assert.Equal(MediaInactivityMonitor.ErrorCode, ended.ErrorCode);
        Assert.Contains("no RTP or RTCP", ended.ErrorMessage);
        Assert.Equal(200, ended.SipResponseCode);

        // The BYE says why (RFC 3326), and came only after the media stopped.
        SipCallEnd farEnd = await call.Ended.WaitAsync(Generous);
        Assert.Equal(SipCallEndCause.RemoteHangup, farEnd.Cause);
        Assert.Equal("media timeout", farEnd.Reason);
        Assert.True(call.EndedAt > lastPacketAt, "the daemon hung up while the far end was still sending");

        Assert.Contains(logs.Entries, e => e.Contains("media timeout", StringComparison.Ordinal) && e.Contains(sid, StringComparison.Ordinal));
        Assert.Contains("dialtone_media_timeouts_total 1\n", await daemon.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_call_whose_far_end_keeps_sending_is_not_ended()
    {
        using var callee = new ManualMediaCallee();
        await using var daemon = await StartAsync(callee, timeoutSeconds: 2);
        string sid = await PlaceCallAsync(daemon);
        ManualMediaCall call = await callee.Answered.WaitAsync(Generous);
        using var stop = new CancellationTokenSource();
        Task<long> sending = call.SendRtpUntil(stop.Token);

        // Three timeouts and more of steady media.
        await Task.Delay(TimeSpan.FromSeconds(7));
        Assert.Equal(CallStatus.InProgress, daemon.Calls.Get(TestAccounts.FirstSid, sid)?.Status);

        // The far end hangs up while still sending: an ordinary end, no media timeout.
        Assert.True(call.HangUp());
        CallRecord ended = await daemon.WaitUntilFinalAsync(sid, timeout: Generous);
        await stop.CancelAsync();
        await sending;
        Assert.Equal(CallStatus.Completed, ended.Status);
        Assert.Null(ended.ErrorCode);
        Assert.Contains("dialtone_media_timeouts_total 0\n", await daemon.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_call_the_far_end_holds_with_inactive_media_is_not_ended()
    {
        // RFC 3264 §6.1: a=inactive in the answer: the far end sends nothing, by agreement.
        using var callee = new ManualMediaCallee(answerDirection: "inactive");
        await using var daemon = await StartAsync(callee, timeoutSeconds: 1);
        string sid = await PlaceCallAsync(daemon);
        ManualMediaCall call = await callee.Answered.WaitAsync(Generous);

        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(CallStatus.InProgress, daemon.Calls.Get(TestAccounts.FirstSid, sid)?.Status);

        Assert.True(call.HangUp());
        CallRecord ended = await daemon.WaitUntilFinalAsync(sid, timeout: Generous);
        Assert.Equal(CallStatus.Completed, ended.Status);
        Assert.Null(ended.ErrorCode);
        Assert.Contains("dialtone_media_timeouts_total 0\n", await daemon.Client.GetStringAsync("/metrics"));
    }

    private static Task<TestDaemon> StartAsync(ManualMediaCallee callee, double timeoutSeconds, CapturedLogs? logs = null) =>
        TestDaemon.StartAsync(
            options =>
            {
                options.Trunks[0].Port = callee.SipPort;
                options.Rtp.InactivityTimeoutSeconds = timeoutSeconds;
            },
            logs: logs,
            sipDialer: true);

    private static Task<string> PlaceCallAsync(TestDaemon daemon) =>
        daemon.CreateCallAsync(("from", "+15005550100"), ("to", "+15005550123"), ("Twiml", LongPause));
}
