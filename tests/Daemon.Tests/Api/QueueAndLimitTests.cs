using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Config;
using Dialtone.Daemon.Operations;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Api;

/// <summary>Without a dialer, calls stay queued: what the daemon does on its own around the dial seam.</summary>
public sealed class QueueAndLimitTests
{
    private static async Task<(int, System.Text.Json.JsonElement)> CreateAs(TestDaemon daemon, string key) =>
        await daemon.SendAsync(TestDaemon.Form("/v1/calls", [new("from", "+15550100"), new("to", "+15550101")], key));

    [Fact]
    public async Task Calls_wait_queued_until_a_dialer_takes_them()
    {
        await using var daemon = await TestDaemon.StartAsync();

        var sid = await daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550101"));
        await Task.Delay(100);

        Assert.Equal(CallStatus.Queued, daemon.Calls.Get(TestAccounts.FirstSid, sid)!.Status);
        Assert.Equal(1, daemon.Calls.Queue.Count);
    }

    [Fact]
    public async Task Canceling_a_queued_call_takes_it_out_of_the_queue_and_reports_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await TestDaemon.StartAsync();
        var sid = await daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550101"), ("statusCallback", receiver.BaseUrl + "/cb"));

        var (status, body) = await daemon.SendAsync(TestDaemon.Form($"/v1/calls/{sid}", [new("status", "canceled")]));
        var delivered = await receiver.WaitForAsync(1);

        Assert.Equal(200, status);
        Assert.Equal("canceled", body.GetProperty("status").GetString());
        Assert.Equal(0, daemon.Calls.Queue.Count);
        var completed = Assert.Single(delivered);
        Assert.Equal(("completed", "canceled", "0"), (completed.Field("CallStatus"), completed.Field("CallResult"), completed.Field("CallDuration")));
    }

    [Fact]
    public async Task Hanging_up_a_queued_call_cancels_it()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var sid = await daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550101"));

        var (status, body) = await daemon.SendAsync(TestDaemon.Form($"/v1/calls/{sid}", [new("status", "completed")]));

        Assert.Equal(200, status);
        Assert.Equal("canceled", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Redirecting_a_queued_call_changes_the_app_it_will_run()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var sid = await daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550101"), ("url", "https://a.example.com/1.xml"));

        var (status, _) = await daemon.SendAsync(TestDaemon.Form($"/v1/calls/{sid}", [new("twiml", "<Response><Hangup/></Response>")]));

        Assert.Equal(200, status);
        var request = daemon.Calls.Get(TestAccounts.FirstSid, sid)!.Request;
        Assert.Equal((null, "<Response><Hangup/></Response>"), (request.Url, request.Twiml));
    }

    [Fact]
    public async Task Past_the_accounts_queue_bound_calls_are_refused_with_429()
    {
        // The "other" account may queue 2 calls.
        await using var daemon = await TestDaemon.StartAsync();

        var first = await CreateAs(daemon, TestAccounts.OtherKey);
        var second = await CreateAs(daemon, TestAccounts.OtherKey);
        var (third, error) = await CreateAs(daemon, TestAccounts.OtherKey);
        var (otherAccount, _) = await CreateAs(daemon, TestAccounts.FirstKey);

        Assert.Equal((201, 201), (first.Item1, second.Item1));
        Assert.Equal(429, third);
        Assert.Equal("too_many_calls", error.GetProperty("code").GetString());
        Assert.Equal(201, otherAccount);
    }

    [Fact]
    public async Task In_reject_mode_calls_over_the_active_bound_are_refused_at_once()
    {
        await using var daemon = await TestDaemon.StartAsync(o => o.Limits.OverLimit = OverLimitAction.Reject);

        var (first, _) = await CreateAs(daemon, TestAccounts.OtherKey);
        var (second, error) = await CreateAs(daemon, TestAccounts.OtherKey);

        Assert.Equal((201, 429), (first, second));
        Assert.Equal("too_many_calls", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Only_max_active_calls_per_account_leave_the_queue_at_once()
    {
        // The "other" account may have 1 call active.
        var dialer = new ScriptedDialer();
        await using var daemon = await TestDaemon.StartAsync(dialer: dialer);
        var a = (await CreateAs(daemon, TestAccounts.OtherKey)).Item2.GetProperty("sid").GetString()!;
        var b = (await CreateAs(daemon, TestAccounts.OtherKey)).Item2.GetProperty("sid").GetString()!;
        // CreateAs dials +15550101 (the default script: completes after 200 ms), so b waits for a.
        var finalA = await daemon.WaitUntilFinalAsync(a, TestAccounts.OtherSid);
        var finalB = await daemon.WaitUntilFinalAsync(b, TestAccounts.OtherSid);

        Assert.True(finalB.StartedAt >= finalA.EndedAt, "the second call was dialed before the first one ended");
    }

    [Fact]
    public async Task While_draining_new_calls_get_503_and_readiness_fails()
    {
        await using var daemon = await TestDaemon.StartAsync();
        var (ready, _) = await daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/readyz", null));

        daemon.Service<ShutdownState>().BeginDraining();
        var (post, error) = await CreateAs(daemon, TestAccounts.FirstKey);
        var (notReady, body) = await daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/readyz", null));
        var (list, _) = await daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/v1/calls"));

        Assert.Equal(200, ready);
        Assert.Equal(503, post);
        Assert.Equal("shutting_down", error.GetProperty("code").GetString());
        Assert.Equal(503, notReady);
        Assert.True(body.GetProperty("draining").GetBoolean());
        Assert.Equal(200, list);
    }

    [Fact]
    public async Task A_graceful_stop_hangs_up_calls_still_up_after_the_grace_period()
    {
        var dialer = new ScriptedDialer();
        using var data = new TempDirectory();
        var daemon = await TestDaemon.StartAsync(o => o.Shutdown.GracePeriodSeconds = 0.5, dialer, data.Path);
        var sid = await daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550200"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (daemon.Calls.Get(TestAccounts.FirstSid, sid)!.Status != CallStatus.InProgress && DateTime.UtcNow < deadline)
            await Task.Delay(10);

        await daemon.DisposeAsync();

        using var database = Dialtone.Daemon.Storage.SqliteDatabase.Open(Path.Combine(data.Path, "dialtone.db"));
        var call = new Dialtone.Daemon.Storage.CallRecordStore(database).Get(sid)!;
        Assert.Equal(CallStatus.Completed, call.Status);
    }
}
