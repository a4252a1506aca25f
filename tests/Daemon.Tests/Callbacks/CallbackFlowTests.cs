using System.Security.Cryptography;
using System.Text;
using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Callbacks;

/// <summary>Calls made over the REST API, driven by a scripted dialer, reporting to a real webhook receiver.</summary>
public sealed class CallbackFlowTests : IAsyncLifetime
{
    private readonly ScriptedDialer _dialer = new();
    private WebhookReceiver _receiver = null!;
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _daemon = await TestDaemon.StartAsync(dialer: _dialer);
        _dialer.RecordingDirectory = Path.Combine(_daemon.DataDirectory, "recordings");
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private static readonly string[] Events = ["initiated", "ringing", "answered", "completed"];

    [Fact]
    public async Task Seed_dialect_sends_every_field_the_spec_lists_for_each_event()
    {
        var sid = await _daemon.CreateCallAsync(
            ("from", "+19499300360"), ("to", "+15550100"), ("url", "https://app.example.com/hello.xml"),
            ("statusCallbackEvent", "initiated,ringing answered"), ("statusCallbackEvent", "completed"),
            ("statusCallback", _receiver.BaseUrl + "/status"), ("secretKey", "proviateapikey"), ("optional", "token=123456"));

        var requests = await _receiver.WaitForAsync(4);

        Assert.Equal(Events, requests.Select(r => r.Field("CallStatus")));
        for (var i = 0; i < 4; i++)
        {
            var r = requests[i];
            var completed = i == 3;
            string[] expected =
            [
                "Called", "CallStatus", "Direction", "CallSid", "callSid", "CallbackSource", .. completed ? new[] { "CallDuration" } : [],
                "AccountSid", "From", "To", "Timestamp", "SequenceNumber", .. i > 0 ? new[] { "SipResponseCode" } : [],
                .. completed ? new[] { "CallResult" } : [], "apikey",
            ];
            Assert.Equal(expected, r.Fields.Select(f => f.Key));
            Assert.Equal("POST", r.Method);
            Assert.Equal("application/x-www-form-urlencoded; charset=utf-8", r.Headers["Content-Type"]);
            Assert.Equal("123456", r.QueryValue("token"));
            Assert.Equal(_receiver.BaseUrl + "/status?token=123456", r.Url);
            Assert.Equal("+15550100", r.Field("Called"));
            Assert.Equal("Outbound", r.Field("Direction"));
            Assert.Equal(sid, r.Field("CallSid"));
            Assert.Equal(sid, r.Field("callSid"));
            Assert.Equal("call-progress-event", r.Field("CallbackSource"));
            Assert.Equal(TestAccounts.FirstSid, r.Field("AccountSid"));
            Assert.Equal("+19499300360", r.Field("From"));
            Assert.Equal("+15550100", r.Field("To"));
            Assert.Equal(i.ToString(), r.Field("SequenceNumber"));
            Assert.Equal("proviateapikey", r.Field("apikey"));
            Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", r.Field("Timestamp"));
            Assert.False(r.Headers.ContainsKey(TwilioSignature.HeaderName));
        }
        Assert.Equal(["180", "200", "200"], requests.Skip(1).Select(r => r.Field("SipResponseCode")));
        Assert.Equal("completed", requests[3].Field("CallResult"));
        Assert.Equal(_daemon.Calls.Get(TestAccounts.FirstSid, sid)!.DurationSeconds.ToString(), requests[3].Field("CallDuration"));
    }

    [Fact]
    public async Task Only_the_events_asked_for_are_sent_and_completed_is_the_default()
    {
        var onlyDefault = await _daemon.CreateCallAsync(("from", "+15550199"), ("to", "+15550100"), ("statusCallback", _receiver.BaseUrl + "/a"));
        var onlyRinging = await _daemon.CreateCallAsync(("from", "+15550199"), ("to", "+15550100"), ("statusCallback", _receiver.BaseUrl + "/b"),
            ("statusCallbackEvent", "ringing"));
        await _daemon.WaitUntilFinalAsync(onlyDefault);
        await _daemon.WaitUntilFinalAsync(onlyRinging);

        var requests = await _receiver.WaitForAsync(2);
        await Task.Delay(200);

        var first = Assert.Single(_receiver.Requests, r => r.Field("CallSid") == onlyDefault);
        var second = Assert.Single(_receiver.Requests, r => r.Field("CallSid") == onlyRinging);
        Assert.Equal(("completed", "0"), (first.Field("CallStatus"), first.Field("SequenceNumber")));
        Assert.Equal(("ringing", "0"), (second.Field("CallStatus"), second.Field("SequenceNumber")));
        Assert.NotEmpty(requests);
    }

    [Fact]
    public async Task Get_status_callbacks_put_every_field_apikey_and_token_in_the_query()
    {
        await _daemon.CreateCallAsync(("from", "+15550199"), ("to", "+15550486"), ("statusCallback", _receiver.BaseUrl + "/get?a=b"),
            ("statusCallbackMethod", "GET"), ("statusCallbackEvent", "ringing completed"), ("secretKey", "s3cret"), ("optional", "token=123456"));

        var requests = await _receiver.WaitForAsync(2);

        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        Assert.All(requests, r => Assert.Empty(r.Form));
        Assert.Equal(["a", "token", "Called"], requests[0].Query.Take(3).Select(q => q.Key));
        Assert.Equal(("s3cret", "123456"), (requests[1].QueryValue("apikey"), requests[1].QueryValue("token")));
        Assert.Equal(("completed", "busy", "486"), (requests[1].QueryValue("CallStatus"), requests[1].QueryValue("CallResult"), requests[1].QueryValue("SipResponseCode")));
    }

    [Fact]
    public async Task Twilio_dialect_uses_Twilios_statuses_and_direction_and_signs_every_request()
    {
        using var create = TestDaemon.Request(HttpMethod.Post, $"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls.json", apiKey: null);
        create.Headers.Authorization = TestDaemon.Basic(TestAccounts.FirstSid, TestAccounts.FirstSecondKey);
        create.Content = new FormUrlEncodedContent([
            new("From", "+15550199"), new("To", "+15550100"), new("Url", "https://app.example.com/a.xml"),
            new("StatusCallback", _receiver.BaseUrl + "/twilio?x=1"), new("StatusCallbackEvent", "initiated"), new("StatusCallbackEvent", "ringing"),
            new("StatusCallbackEvent", "answered"), new("StatusCallbackEvent", "completed"),
        ]);
        var (status, _) = await _daemon.SendAsync(create);

        var requests = await _receiver.WaitForAsync(4);

        Assert.Equal(201, status);
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], requests.Select(r => r.Field("CallStatus")));
        Assert.All(requests, r => Assert.Equal("outbound-api", r.Field("Direction")));
        Assert.All(requests, r => Assert.Equal("2010-04-01", r.Field("ApiVersion")));
        Assert.All(requests, r => Assert.Equal("+15550199", r.Field("Caller")));
        // Twilio signs with the account's primary auth token: its first key, whichever key made the call.
        Assert.All(requests, r => Assert.Equal(ReferenceSignature(TestAccounts.FirstKey, r.Url, r.Form), r.Headers[TwilioSignature.HeaderName]));
    }

    [Fact]
    public async Task Twilio_dialect_signs_get_callbacks_over_the_full_url()
    {
        using var create = TestDaemon.Request(HttpMethod.Post, $"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls.json", apiKey: null);
        create.Headers.Authorization = TestDaemon.Basic(TestAccounts.FirstSid, TestAccounts.FirstKey);
        create.Content = new FormUrlEncodedContent([
            new("From", "+15550199"), new("To", "+15550486"), new("StatusCallback", _receiver.BaseUrl + "/twilio-get"),
            new("StatusCallbackMethod", "GET"),
        ]);
        await _daemon.SendAsync(create);

        var request = Assert.Single(await _receiver.WaitForAsync(1));

        Assert.Equal(("GET", "busy"), (request.Method, request.QueryValue("CallStatus")));
        Assert.Equal(ReferenceSignature(TestAccounts.FirstKey, request.Url, []), request.Headers[TwilioSignature.HeaderName]);
    }

    [Fact]
    public async Task A_recorded_call_reports_its_recording_url_in_both_spellings_and_serves_it()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550199"), ("to", "+15550777"), ("Record", "true"), ("statusCallback", _receiver.BaseUrl + "/rec"));

        var completed = Assert.Single(await _receiver.WaitForAsync(1));
        var url = completed.Field("RecordingURL");

        Assert.Equal($"{_daemon.BaseUrl}/v1/recordings/{sid}.wav", url);
        Assert.Equal(url, completed.Field("RecordingUrl"));
        var fields = completed.Fields.Select(f => f.Key).ToList();
        Assert.Equal(fields.IndexOf("CallDuration") + 1, fields.IndexOf("RecordingURL"));

        using var get = TestDaemon.Request(HttpMethod.Get, url!);
        using var response = await _daemon.Client.SendAsync(get);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(TestWav.Make(800), await response.Content.ReadAsByteArrayAsync());

        using var range = TestDaemon.Request(HttpMethod.Get, url!);
        range.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(44, 53);
        using var partial = await _daemon.Client.SendAsync(range);
        Assert.Equal(System.Net.HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(TestWav.Make(800)[44..54], await partial.Content.ReadAsByteArrayAsync());

        var (otherAccount, _) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, url!, TestAccounts.OtherKey));
        Assert.Equal(404, otherAccount);
    }

    [Fact]
    public async Task An_application_error_is_reported_on_the_completed_event()
    {
        await _daemon.CreateCallAsync(("from", "+15550199"), ("to", "+15550500"), ("statusCallback", _receiver.BaseUrl + "/err"));

        var completed = Assert.Single(await _receiver.WaitForAsync(1));

        Assert.Equal(("12100", "Document parse failure"), (completed.Field("ErrorCode"), completed.Field("ErrorMessage")));
        Assert.Equal("completed", completed.Field("CallResult"));
    }

    [Fact]
    public async Task B_legs_report_to_the_same_url_with_their_parent_sid()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550199"), ("to", "+15550300"), ("statusCallback", _receiver.BaseUrl + "/legs"),
            ("statusCallbackEvent", "initiated ringing answered completed"));
        await _daemon.WaitUntilFinalAsync(sid);

        var requests = await _receiver.WaitForAsync(8);

        var bLeg = requests.Where(r => r.Field("ParentCallSid") is not null).ToList();
        Assert.Equal(4, bLeg.Count);
        Assert.All(bLeg, r => Assert.Equal(sid, r.Field("ParentCallSid")));
        Assert.All(bLeg, r => Assert.Equal("+15550199", r.Field("Called")));
        Assert.Equal(["0", "1", "2", "3"], bLeg.Select(r => r.Field("SequenceNumber")));
        var legSid = bLeg[0].Field("CallSid")!;
        Assert.NotEqual(sid, legSid);
        var stored = _daemon.Calls.Get(TestAccounts.FirstSid, legSid)!;
        Assert.Equal((sid, CallDirection.OutboundDial, CallStatus.Completed), (stored.ParentSid, stored.Direction, stored.Status));
        Assert.Equal(["initiated", "ringing", "answered", "completed"], requests.Where(r => r.Field("CallSid") == sid).Select(r => r.Field("CallStatus")));
    }

    [Fact]
    public async Task A_late_report_never_moves_a_call_out_of_its_final_state_nor_sends_a_callback()
    {
        await using var idle = await TestDaemon.StartAsync();
        var sid = await idle.CreateCallAsync(("from", "+15550199"), ("to", "+15550100"), ("statusCallback", _receiver.BaseUrl + "/late"),
            ("statusCallbackEvent", "initiated ringing answered completed"));
        var live = idle.Calls.FindLive(sid)!;
        await live.ReportInitiatedAsync();
        await live.ReportRingingAsync(180);
        await live.ReportEndedAsync(new CallEnd(CallStatus.Busy, 486));

        var lateRinging = await live.ReportRingingAsync(183);
        var lateAnswer = await live.ReportAnsweredAsync();
        var lateEnd = await live.ReportEndedAsync(new CallEnd(CallStatus.Completed, 200));
        var requests = await _receiver.WaitForAsync(3);
        await Task.Delay(200);

        Assert.All([lateRinging, lateAnswer, lateEnd], o => Assert.Equal(CallTransitionVerdict.Refused, o.Verdict));
        Assert.All([lateRinging, lateAnswer, lateEnd], o => Assert.False(o.CallbackQueued));
        var stored = idle.Calls.Get(TestAccounts.FirstSid, sid)!;
        Assert.Equal((CallStatus.Busy, 486), (stored.Status, stored.SipResponseCode));
        Assert.Equal(3, _receiver.Requests.Count);
        Assert.Equal(["initiated", "ringing", "completed"], requests.Select(r => r.Field("CallStatus")));
        Assert.Equal("busy", requests[2].Field("CallResult"));
    }

    [Fact]
    public async Task A_restarted_daemon_closes_calls_it_lost_and_delivers_what_was_pending()
    {
        using var data = new TempDirectory();
        var receiver = WebhookReceiver.NotStarted();
        string sid;
        await using (var first = await TestDaemon.StartAsync(dataDirectory: data.Path))
        {
            sid = await first.CreateCallAsync(("from", "+15550199"), ("to", "+15550100"), ("statusCallback", receiver.BaseUrl + "/r"),
                ("statusCallbackEvent", "initiated ringing answered completed"));
            var live = first.Calls.FindLive(sid)!;
            await live.ReportInitiatedAsync();
            await live.ReportRingingAsync(180);
            await live.ReportAnsweredAsync();
        }

        await using var second = await TestDaemon.StartAsync(dataDirectory: data.Path);
        await receiver.StartAgainAsync();
        var requests = await receiver.WaitForAsync(4);

        Assert.Equal(["initiated", "ringing", "answered", "completed"], requests.Select(r => r.Field("CallStatus")));
        Assert.Equal(CallService.NodeRestartedError, requests[3].Field("ErrorCode"));
        Assert.Equal(CallStatus.Completed, second.Calls.Get(TestAccounts.FirstSid, sid)!.Status);
        await receiver.DisposeAsync();
    }

    /// <summary>Twilio's documented algorithm, written out independently of the code under test.</summary>
    private static string ReferenceSignature(string token, string url, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        var data = url + string.Concat(form.OrderBy(f => f.Key, StringComparer.Ordinal).ThenBy(f => f.Value, StringComparer.Ordinal).Select(f => f.Key + f.Value));
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(token));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data)));
    }
}
