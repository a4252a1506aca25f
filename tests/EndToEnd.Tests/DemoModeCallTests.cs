using Dialtone.Daemon.Tests.Support;
using Dialtone.EndToEnd.Tests.Support;

namespace Dialtone.EndToEnd.Tests;

/// <summary>
/// The product as a newcomer meets it: the daemon process in demo mode, calls placed with the REST
/// API, the built-in carrier on the far end, status callbacks to a real HTTP receiver.
/// </summary>
public sealed class DemoModeCallTests
{
    private static readonly string[] SeedEvents = ["initiated", "ringing", "answered", "completed"];

    [Fact]
    public async Task The_pin_call_reports_every_event_in_order_with_the_seed_fields_and_the_carrier_hears_the_digits()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await DemoDaemon.StartAsync();

        string sid = await daemon.PlaceCallAsync(
            ("from", "+15005550100"),
            ("to", "+15005550123"),
            ("url", daemon.BaseUrl + "/demo/apps/pin.xml"),
            ("senddigits", "WW12#"),
            ("statusCallback", receiver.BaseUrl + "/status"),
            ("statusCallbackEvent", "initiated,ringing,answered,completed"),
            ("secretKey", "s3cret-for-callbacks"),
            ("optional", "token=123456"));

        var callbacks = await receiver.WaitForAsync(4, TimeSpan.FromSeconds(60));
        Assert.Equal(SeedEvents, callbacks.Select(c => c.Field("CallStatus")));
        for (int i = 0; i < callbacks.Count; i++)
        {
            ReceivedRequest callback = callbacks[i];
            Assert.Equal("POST", callback.Method);
            Assert.Equal(sid, callback.Field("CallSid"));
            Assert.Equal(sid, callback.Field("callSid"));
            Assert.Equal("+15005550123", callback.Field("Called"));
            Assert.Equal("Outbound", callback.Field("Direction"));
            Assert.Equal("call-progress-event", callback.Field("CallbackSource"));
            Assert.Equal("s3cret-for-callbacks", callback.Field("apikey"));
            Assert.Equal("123456", callback.QueryValue("token"));
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), callback.Field("SequenceNumber"));
            Assert.Null(callback.Field("ParentCallSid"));
        }
        ReceivedRequest completed = callbacks[3];
        Assert.Equal("completed", completed.Field("CallResult"));
        Assert.True(int.Parse(completed.Field("CallDuration")!, System.Globalization.CultureInfo.InvariantCulture) >= 2, "2 s of WW pause, then the PIN");
        Assert.Null(callbacks[0].Field("CallDuration"));
        Assert.Equal("180", callbacks[1].Field("SipResponseCode"));
        Assert.Equal("200", callbacks[2].Field("SipResponseCode"));

        string carrier = await daemon.CarrierReportAsync();
        Assert.Contains("to=+15005550123", carrier, StringComparison.Ordinal);
        Assert.Contains("digits='12#'", carrier, StringComparison.Ordinal);
        string recording = RecordingPathIn(carrier);
        Assert.True(WavProbe.LoudSeconds(recording) >= 1.0, "the carrier heard the PIN being spoken");

        string metrics = await daemon.Http.GetStringAsync("/metrics");
        Assert.Contains("dialtone_sip_requests_total{direction=\"out\",method=\"INVITE\"} 1", metrics, StringComparison.Ordinal);
        Assert.True(MetricValue(metrics, "dialtone_rtp_packets_sent_total") > 100, "at least 2 s of audio went out");
        Assert.Equal(1, MetricValue(metrics, "dialtone_speech_cache_misses_total"));
    }

    private static double MetricValue(string metrics, string name)
    {
        string line = metrics.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("+15005550486", "busy", 486)]
    [InlineData("+15005550603", "busy", 603)]
    [InlineData("+15005550404", "failed", 404)]
    [InlineData("+15005550503", "failed", 503)]
    [InlineData("+15005550408", "no-answer", 487)]
    public async Task Unanswered_calls_end_with_the_status_and_code_the_carrier_gave(string to, string status, int code)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await DemoDaemon.StartAsync();

        string sid = await daemon.PlaceCallAsync(
            ("From", "+15005550100"),
            ("To", to),
            ("Url", daemon.BaseUrl + "/demo/apps/hello-world.xml"),
            ("Timeout", "3"),
            ("StatusCallback", receiver.BaseUrl + "/status"));

        var call = await daemon.WaitForEndAsync(sid);
        Assert.Equal(status, call.GetProperty("status").GetString());
        Assert.Equal(code, call.GetProperty("sip_response_code").GetInt32());
        var callbacks = await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        ReceivedRequest completed = Assert.Single(callbacks);
        Assert.Equal("completed", completed.Field("CallStatus"));
        Assert.Equal(status, completed.Field("CallResult"));
        Assert.Equal(code.ToString(System.Globalization.CultureInfo.InvariantCulture), completed.Field("SipResponseCode"));
    }

    [Fact]
    public async Task Without_a_url_the_callee_is_bridged_to_the_caller_on_a_second_leg_that_names_its_parent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await DemoDaemon.StartAsync();

        // The second leg (to "from") hangs up after 3 s (…7703), which ends the bridge and the call.
        string sid = await daemon.PlaceCallAsync(
            ("from", "+15005557703"),
            ("to", "+15005550123"),
            ("statusCallback", receiver.BaseUrl + "/status"),
            ("statusCallbackEvent", "initiated ringing answered completed"));

        var call = await daemon.WaitForEndAsync(sid);
        Assert.Equal("completed", call.GetProperty("status").GetString());
        var callbacks = await receiver.WaitForAsync(8, TimeSpan.FromSeconds(30));
        var aLeg = callbacks.Where(c => c.Field("CallSid") == sid).ToList();
        var bLeg = callbacks.Where(c => c.Field("CallSid") != sid).ToList();
        Assert.Equal(SeedEvents, aLeg.Select(c => c.Field("CallStatus")));
        Assert.Equal(SeedEvents, bLeg.Select(c => c.Field("CallStatus")));
        Assert.All(bLeg, c => Assert.Equal(sid, c.Field("ParentCallSid")));
        Assert.All(bLeg, c => Assert.Equal("+15005557703", c.Field("Called")));

        string carrier = await daemon.CarrierReportAsync();
        Assert.Contains("to=+15005557703", carrier, StringComparison.Ordinal);
        Assert.Contains("to=+15005550123", carrier, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_every_callback_in_order_once_it_is_back()
    {
        var receiver = WebhookReceiver.NotStarted();
        await using var daemon = await DemoDaemon.StartAsync();

        string sid = await daemon.PlaceCallAsync(
            ("from", "+15005550100"),
            ("to", "+15005550123"),
            ("url", daemon.BaseUrl + "/demo/apps/hello-world.xml"),
            ("statusCallback", receiver.BaseUrl + "/status"),
            ("statusCallbackEvent", "initiated,ringing,answered,completed"));
        await daemon.WaitForEndAsync(sid);
        await Task.Delay(500);
        Assert.Empty(receiver.Requests);

        await receiver.StartAgainAsync();
        var callbacks = await receiver.WaitForAsync(4, TimeSpan.FromSeconds(30));
        Assert.Equal(SeedEvents, callbacks.Select(c => c.Field("CallStatus")));
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_daemon_killed_mid_call_delivers_every_callback_after_its_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var daemon = await DemoDaemon.StartAsync();

        // …7730: the callee stays 30 s, so the call is up when the daemon dies.
        string sid = await daemon.PlaceCallAsync(
            ("from", "+15005550100"),
            ("to", "+15005557730"),
            ("url", daemon.BaseUrl + "/demo/apps/hello-world.xml"),
            ("statusCallback", receiver.BaseUrl + "/status"),
            ("statusCallbackEvent", "initiated,ringing,answered,completed"));
        await receiver.WaitForAsync(3, TimeSpan.FromSeconds(30));

        await daemon.KillAndRestartAsync();

        var call = await daemon.WaitForEndAsync(sid, TimeSpan.FromSeconds(60));
        var callbacks = await receiver.WaitForAsync(4, TimeSpan.FromSeconds(30));
        var ours = callbacks.Where(c => c.Field("CallSid") == sid).ToList();
        Assert.Equal(SeedEvents, ours.Select(c => c.Field("CallStatus")).Distinct());
        Assert.Equal(["0", "1", "2", "3"], ours.Select(c => c.Field("SequenceNumber")).Distinct());
        Assert.Equal(call.GetProperty("status").GetString(), ours[^1].Field("CallResult"));
    }

    private static string RecordingPathIn(string carrierReport)
    {
        const string marker = "recording=";
        int at = carrierReport.LastIndexOf(marker, StringComparison.Ordinal);
        Assert.True(at >= 0, carrierReport);
        int end = carrierReport.IndexOf('\n', at);
        return carrierReport[(at + marker.Length)..(end < 0 ? carrierReport.Length : end)].Trim();
    }
}
