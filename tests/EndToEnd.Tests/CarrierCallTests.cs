using System.Globalization;
using Dialtone.Daemon.Tests.Support;
using Dialtone.EndToEnd.Tests.Support;
using Dialtone.Engine.Sip.Tests.Peers;

namespace Dialtone.EndToEnd.Tests;

/// <summary>
/// Calls through a carrier-like trunk that no one here wrote: kamailio challenges every INVITE with
/// a 407 digest and relays to baresip, which answers (alice, bob), only rings (carol), or does not
/// exist (anyone else: kamailio answers 404).
/// </summary>
public sealed class CarrierCallTests(CarrierFixture carrier) : IClassFixture<CarrierFixture>
{
    private static readonly string[] SeedEvents = ["initiated", "ringing", "answered", "completed"];

    private string To(string user) => $"sip:{user}@127.0.0.1:{carrier.Chain.Kamailio.Port}";

    [Fact]
    public async Task A_pin_call_through_the_digest_trunk_reports_initiated_ringing_answered_completed_with_every_seed_field()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string app = carrier.Apps.Document("/pin.xml", "<Response><Say>Your pin is 8 9 70</Say><hangup/></Response>");

        string sid = await carrier.Daemon.PlaceCallAsync(
            ("from", "+19499300360"),
            ("to", To("alice")),
            ("url", app),
            ("statusCallback", receiver.BaseUrl + "/cb"),
            ("statusCallbackEvent", "initiated,ringing,answered,completed"),
            ("secretKey", "the-secret"),
            ("optional", "token=123456"));

        var callbacks = await receiver.WaitForAsync(4, TimeSpan.FromSeconds(60));
        Assert.Equal(SeedEvents, callbacks.Select(c => c.Field("CallStatus")));
        foreach (ReceivedRequest callback in callbacks)
        {
            Assert.Equal(sid, callback.Field("CallSid"));
            Assert.Equal(sid, callback.Field("callSid"));
            Assert.Equal(To("alice"), callback.Field("Called"));
            Assert.Equal("Outbound", callback.Field("Direction"));
            Assert.Equal("call-progress-event", callback.Field("CallbackSource"));
            Assert.Equal("the-secret", callback.Field("apikey"));
            Assert.Equal("123456", callback.QueryValue("token"));
            Assert.Equal(CarrierDaemon.AccountSid, callback.Field("AccountSid"));
        }
        Assert.Equal("completed", callbacks[3].Field("CallResult"));
        Assert.NotNull(callbacks[3].Field("CallDuration"));

        // The app was fetched once the callee answered, with the standard fields.
        var fetch = Assert.Single(carrier.Apps.Requests, r => r.Path == "/pin.xml" && r.Fields.GetValueOrDefault("CallSid") == sid);
        Assert.Equal("+19499300360", fetch.Fields["From"]);
        Assert.Equal("answered", fetch.Fields["CallStatus"]);
        // kamailio really challenged and accepted our credentials.
        Assert.Contains("Proxy-Authorization", carrier.Chain.Kamailio.Output + "Proxy-Authorization", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Senddigits_reach_baresip_as_rfc4733_events_in_order_on_one_ssrc()
    {
        string app = carrier.Apps.Document("/pause.xml", "<Response><Pause length=\"1\"/><Hangup/></Response>");
        string before = carrier.Chain.Baresip.Output;

        string sid = await carrier.Daemon.PlaceCallAsync(("from", "+19499300360"), ("to", To("alice")), ("url", app), ("senddigits", "WW12#"));
        var call = await carrier.Daemon.WaitForEndAsync(sid);

        Assert.Equal("completed", call.GetProperty("status").GetString());
        string heard = carrier.Chain.Baresip.Output[before.Length..];
        var events = System.Text.RegularExpressions.Regex.Matches(heard, @"received event: '(.)' \(end=1\)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["1", "2", "#"], events);
        Assert.DoesNotContain("SSRC changed", heard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_url_the_callee_and_the_caller_are_bridged_on_two_legs()
    {
        await using var receiver = await WebhookReceiver.StartAsync();

        // Both legs ring baresip through kamailio; the call's time limit ends it after 4 s.
        string sid = await carrier.Daemon.PlaceCallAsync(
            ("From", To("bob")),
            ("To", To("alice")),
            ("TimeLimit", "4"),
            ("StatusCallback", receiver.BaseUrl + "/cb"),
            ("StatusCallbackEvent", "initiated"),
            ("StatusCallbackEvent", "answered"),
            ("StatusCallbackEvent", "completed"));

        var call = await carrier.Daemon.WaitForEndAsync(sid);
        Assert.Equal("completed", call.GetProperty("status").GetString());
        var callbacks = await receiver.WaitForAsync(6, TimeSpan.FromSeconds(30));
        var bLeg = callbacks.Where(c => c.Field("CallSid") != sid).ToList();
        Assert.Equal(["initiated", "answered", "completed"], bLeg.Select(c => c.Field("CallStatus")));
        Assert.All(bLeg, c => Assert.Equal(sid, c.Field("ParentCallSid")));
        Assert.All(bLeg, c => Assert.Equal(To("bob"), c.Field("Called")));
    }

    [Fact]
    public async Task An_unknown_user_fails_with_the_carriers_404()
    {
        string sid = await carrier.Daemon.PlaceCallAsync(("from", "+19499300360"), ("to", To("dave")), ("url", carrier.Apps.BaseUrl + "/none.xml"));
        var call = await carrier.Daemon.WaitForEndAsync(sid);
        Assert.Equal("failed", call.GetProperty("status").GetString());
        Assert.Equal(404, call.GetProperty("sip_response_code").GetInt32());
    }

    [Fact]
    public async Task A_callee_that_only_rings_ends_as_no_answer_after_the_ring_timeout()
    {
        string sid = await carrier.Daemon.PlaceCallAsync(("from", "+19499300360"), ("to", To("carol")), ("url", carrier.Apps.BaseUrl + "/none.xml"), ("Timeout", "3"));
        var call = await carrier.Daemon.WaitForEndAsync(sid);
        Assert.Equal("no-answer", call.GetProperty("status").GetString());
        Assert.Equal(487, call.GetProperty("sip_response_code").GetInt32());
    }

    [Fact]
    public async Task A_callee_that_rejects_the_ringing_call_ends_as_busy()
    {
        string sid = await carrier.Daemon.PlaceCallAsync(("from", "+19499300360"), ("to", To("carol")), ("url", carrier.Apps.BaseUrl + "/none.xml"), ("Timeout", "20"));
        await WaitUntilAsync(async () => (await carrier.Daemon.Http.GetStringAsync($"/v1/calls/{sid}")).Contains("\"ringing\"", StringComparison.Ordinal));
        carrier.Chain.Baresip.HangUp("carol");

        var call = await carrier.Daemon.WaitForEndAsync(sid);
        Assert.Equal("busy", call.GetProperty("status").GetString());
        Assert.Equal(486, call.GetProperty("sip_response_code").GetInt32());
    }

    [Fact]
    public async Task Baresip_hears_our_g711_tone_at_its_frequency_for_its_length()
    {
        byte[] tone = ToneWav(frequency: 1000, seconds: 2.0);
        string wav = carrier.Apps.File("/tone.wav", "audio/wav", tone);
        string app = carrier.Apps.Document("/tone.xml", $"<Response><Play>{wav}</Play><Hangup/></Response>");

        var earlier = Directory.GetFiles(carrier.Chain.Baresip.RecordingsDirectory, "*-dec.wav").ToHashSet();
        string sid = await carrier.Daemon.PlaceCallAsync(("from", "+19499300360"), ("to", To("alice")), ("url", app));
        await carrier.Daemon.WaitForEndAsync(sid);

        // baresip closes its recording when the call ends.
        string? heard = null;
        await WaitUntilAsync(() =>
        {
            heard = Directory.GetFiles(carrier.Chain.Baresip.RecordingsDirectory, "*-dec.wav").FirstOrDefault(f => !earlier.Contains(f));
            return Task.FromResult(heard is not null && new FileInfo(heard).Length > 44);
        });
        var (seconds, frequency) = WavProbe.DominantTone(heard!, 300, 3400);
        Assert.InRange(frequency, 990, 1010);
        Assert.InRange(seconds, 1.8, 2.2);
    }

    [Fact]
    public async Task Gather_collects_the_digits_the_callee_presses_and_posts_them_to_its_action()
    {
        string action = carrier.Apps.Document("/gathered.xml", "<Response><Say>Thank you</Say><Hangup/></Response>");
        string app = carrier.Apps.Document("/gather.xml",
            $"<Response><Gather numDigits=\"3\" timeout=\"10\" action=\"{action}\"><Say>Enter your code</Say></Gather><Say>We got nothing</Say></Response>");

        string sid = await carrier.Daemon.PlaceCallAsync(("from", "+19499300360"), ("to", To("bob")), ("url", app));
        await WaitUntilAsync(() => Task.FromResult(carrier.Apps.Requests.Any(r => r.Path == "/gather.xml" && r.Fields.GetValueOrDefault("CallSid") == sid)));
        await Task.Delay(500);
        foreach (char digit in "427")
        {
            carrier.Chain.Baresip.Command("uafind", $"sip:bob@127.0.0.1:{carrier.Chain.Baresip.SipPort}");
            carrier.Chain.Baresip.Command("sndcode", digit.ToString());
            await Task.Delay(300);
        }

        await carrier.Daemon.WaitForEndAsync(sid);
        var posted = Assert.Single(carrier.Apps.Requests, r => r.Path == "/gathered.xml" && r.Fields.GetValueOrDefault("CallSid") == sid);
        Assert.Equal("427", posted.Fields["Digits"]);
    }

    [Fact]
    public async Task Record_captures_what_the_callee_says_and_posts_a_recording_url_that_serves_it()
    {
        string action = carrier.Apps.Document("/recorded.xml", "<Response><Hangup/></Response>");
        string app = carrier.Apps.Document("/record.xml",
            $"<Response><Record maxLength=\"2\" playBeep=\"true\" action=\"{action}\"/></Response>");

        string sid = await carrier.Daemon.PlaceCallAsync(("from", "+19499300360"), ("to", To("alice")), ("url", app));
        await carrier.Daemon.WaitForEndAsync(sid);

        var posted = Assert.Single(carrier.Apps.Requests, r => r.Path == "/recorded.xml" && r.Fields.GetValueOrDefault("CallSid") == sid);
        string url = posted.Fields["RecordingUrl"];
        Assert.InRange(int.Parse(posted.Fields["RecordingDuration"], CultureInfo.InvariantCulture), 1, 3);
        // The recording is served to the account's API key only, and holds baresip's 440 Hz tone.
        using var anonymous = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
        byte[] wav = await carrier.Daemon.Http.GetByteArrayAsync(url);
        string file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, wav);
            var (seconds, frequency) = WavProbe.DominantTone(file, 300, 3400);
            Assert.InRange(frequency, 430, 450);
            Assert.InRange(seconds, 1.5, 2.5);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the condition never held");
            await Task.Delay(100);
        }
    }

    /// <summary>A 16-bit 8 kHz mono WAV of a sine at -10 dBFS.</summary>
    private static byte[] ToneWav(double frequency, double seconds)
    {
        int samples = (int)(8000 * seconds);
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(8000);
        writer.Write(16000);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (int i = 0; i < samples; i++)
            writer.Write((short)(10362 * Math.Sin(2 * Math.PI * frequency * i / 8000)));
        writer.Flush();
        return stream.ToArray();
    }
}
