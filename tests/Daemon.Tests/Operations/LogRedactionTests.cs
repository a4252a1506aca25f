using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Operations;

public sealed class LogRedactionTests
{
    [Fact]
    public async Task Api_keys_and_secret_keys_never_reach_the_logs()
    {
        const string secretKey = "the-customers-secret-key-42";
        var logs = new CapturedLogs();
        await using var receiver = await WebhookReceiver.StartAsync();
        var failures = 0;
        // Fail a few times so the retry path logs too; GET puts apikey in the URL the daemon requests.
        receiver.Respond = _ => Interlocked.Increment(ref failures) <= 3 ? 500 : 200;
        var dialer = new ScriptedDialer();
        await using var daemon = await TestDaemon.StartAsync(o => o.Logging.Level = "Trace", dialer, logs: logs);

        var sid = await daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550100"), ("statusCallback", receiver.BaseUrl + "/cb?x=1"),
            ("statusCallbackMethod", "GET"), ("statusCallbackEvent", "initiated ringing answered completed"), ("secretKey", secretKey));
        await daemon.WaitUntilFinalAsync(sid);
        var bearer = TestDaemon.Request(HttpMethod.Get, "/v1/calls", null);
        bearer.Headers.Authorization = new("Bearer", TestAccounts.FirstSecondKey);
        await daemon.SendAsync(bearer);
        var basic = TestDaemon.Request(HttpMethod.Get, "/v1/calls", null);
        basic.Headers.Authorization = TestDaemon.Basic(TestAccounts.FirstSid, TestAccounts.OtherKey);
        await daemon.SendAsync(basic);
        await daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/v1/calls", "wrong-key-given-here-0000"));
        await receiver.WaitForAsync(4 + 3);
        await Task.Delay(200);

        var text = logs.AllText;
        Assert.NotEmpty(logs.Entries);
        Assert.Contains(sid, text);
        Assert.Contains("/cb", text);
        foreach (var secret in new[] { secretKey, TestAccounts.FirstKey, TestAccounts.FirstSecondKey, TestAccounts.OtherKey, "wrong-key-given-here-0000" })
            Assert.DoesNotContain(secret, text);
    }
}
