using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Parsing;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Tests.Parsing;

public sealed class VoiceDocumentReaderTests
{
    private static Task<IReadOnlyList<VoiceVerb>> Parse(string xml, Uri? baseUri = null, VoiceDocumentLimits? limits = null) =>
        VoiceDocumentReader.ParseAsync(xml, baseUri ?? new Uri("https://app.example.com/a/voice.xml"), limits);

    private static async Task<VoiceAppException> Rejects(string xml, string code, VoiceDocumentLimits? limits = null)
    {
        var ex = await Assert.ThrowsAsync<VoiceAppException>(() => Parse(xml, limits: limits));
        Assert.Equal(code, ex.Code);
        return ex;
    }

    [Fact]
    public async Task Verb_and_attribute_names_are_case_insensitive()
    {
        var verbs = await Parse("<response><SAY VOICE=\"alice\" Language=\"en-GB\" LOOP=\"3\">hi</SAY><pause LENGTH=\"2\"/><hangup/></response>");

        Assert.Equal(new SayVerb("hi") { Voice = "alice", Language = "en-GB", Loop = 3, Line = 1 }, verbs[0]);
        Assert.Equal(TimeSpan.FromSeconds(2), Assert.IsType<PauseVerb>(verbs[1]).Length);
        Assert.IsType<HangupVerb>(verbs[2]);
    }

    [Fact]
    public async Task Unknown_verbs_are_skipped_with_a_warning()
    {
        var warnings = new List<VoiceDiagnostic>();
        using var reader = VoiceDocumentReader.FromString(
            "<Response><Enqueue>support</Enqueue><Say>one</Say><Sms to=\"1\">x<b/></Sms><Gather><Stream/><Say>two</Say></Gather></Response>",
            onWarning: warnings.Add);

        var verbs = new List<VoiceVerb>();
        await foreach (var verb in reader.ReadAllAsync())
            verbs.Add(verb);

        Assert.Equal("Say Gather(Say)", TwilioExampleTests.Shape(verbs));
        Assert.Equal(3, warnings.Count);
        Assert.Contains("<Enqueue>", warnings[0].Message);
        Assert.Equal(warnings, reader.Warnings);
    }

    [Fact]
    public async Task Defaults_follow_twilio()
    {
        var verbs = await Parse("<Response><Say>x</Say><Play>a.wav</Play><Pause/><Gather/><Dial>+15551234567</Dial><Record/><Redirect>next</Redirect><Reject/></Response>");

        var say = (SayVerb)verbs[0];
        Assert.Equal((1, (string?)null, (string?)null), (say.Loop, say.Voice, say.Language));
        Assert.Equal(new Uri("https://app.example.com/a/a.wav"), ((PlayVerb)verbs[1]).Url);
        Assert.Equal(TimeSpan.FromSeconds(1), ((PauseVerb)verbs[2]).Length);
        var gather = (GatherVerb)verbs[3];
        Assert.Equal((TimeSpan.FromSeconds(5), "#", (int?)null, (Uri?)null, RequestMethod.Post, false),
            (gather.Timeout, gather.FinishOnKey, gather.NumDigits, gather.Action, gather.Method, gather.ActionOnEmptyResult));
        var dial = (DialVerb)verbs[4];
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromHours(4), DialRecordMode.DoNotRecord, false, (Uri?)null),
            (dial.Timeout, dial.TimeLimit, dial.Record, dial.HangupOnStar, dial.Action));
        var record = (RecordVerb)verbs[5];
        Assert.Equal((TimeSpan.FromHours(1), TimeSpan.FromSeconds(5), "1234567890*#", true, TrimMode.TrimSilence),
            (record.MaxLength, record.Timeout, record.FinishOnKey, record.PlayBeep, record.Trim));
        Assert.Equal(new Uri("https://app.example.com/a/next"), ((RedirectVerb)verbs[6]).Url);
        Assert.Equal(RejectReason.Rejected, ((RejectVerb)verbs[7]).Reason);
    }

    [Fact]
    public async Task Loop_zero_means_until_hangup_capped_at_a_thousand()
    {
        var verbs = await Parse("<Response><Say loop=\"0\">x</Say><Play loop=\"0\">https://h/a.mp3</Play></Response>");

        Assert.Equal(1000, ((SayVerb)verbs[0]).Loop);
        Assert.Equal(1000, ((PlayVerb)verbs[1]).Loop);
    }

    [Fact]
    public async Task Forward_is_an_alias_for_dial()
    {
        var dial = Assert.IsType<DialVerb>((await Parse("<Response><Forward callerId=\"+15550000000\" timeLimit=\"60\">(415) 555-1212</Forward></Response>"))[0]);

        Assert.True(dial.WrittenAsForward);
        Assert.Equal("4155551212", dial.Targets[0].Address);
        Assert.Equal("+15550000000", dial.CallerId);
        Assert.Equal(TimeSpan.FromSeconds(60), dial.TimeLimit);
    }

    [Fact]
    public async Task Dial_text_may_be_a_sip_uri_and_number_children_keep_their_attributes()
    {
        var verbs = await Parse(
            "<Response><Dial>sip:bob@127.0.0.1:5070</Dial>" +
            "<Dial action=\"/after\" method=\"GET\" hangupOnStar=\"true\" record=\"record-from-ringing-dual\">" +
            "<Number sendDigits=\"ww12#\" url=\"/whisper\" method=\"GET\">+14155550100</Number><Sip username=\"u\" password=\"p\">sips:alice@example.com</Sip><Client>joey</Client></Dial></Response>");

        Assert.Equal(new DialTarget(DialTargetKind.Sip, "sip:bob@127.0.0.1:5070"), ((DialVerb)verbs[0]).Targets[0]);
        var dial = (DialVerb)verbs[1];
        Assert.Equal(new Uri("https://app.example.com/after"), dial.Action);
        Assert.Equal((RequestMethod.Get, true, DialRecordMode.RecordFromRingingDual), (dial.Method, dial.HangupOnStar, dial.Record));
        Assert.Equal(new DialTarget(DialTargetKind.Number, "+14155550100") { SendDigits = "ww12#", Url = new Uri("https://app.example.com/whisper"), Method = RequestMethod.Get }, dial.Targets[0]);
        Assert.Equal(("u", "p"), (dial.Targets[1].Username, dial.Targets[1].Password));
        Assert.Equal(2, dial.Targets.Count);
    }

    [Fact]
    public async Task Say_flattens_ssml_and_keeps_digit_groups_apart()
    {
        var say = (SayVerb)(await Parse("<Response><Say>Your pin is <say-as interpret-as=\"digits\">8</say-as>\n  9<break time=\"1s\"/>70.</Say></Response>"))[0];

        Assert.Equal("Your pin is 8 9 70.", say.Text);
    }

    [Fact]
    public async Task Gather_keeps_its_attributes_and_prompts()
    {
        var gather = (GatherVerb)(await Parse(
            "<Response><Gather numDigits=\"4\" timeout=\"9\" finishOnKey=\"*\" action=\"https://h/x\" method=\"get\" actionOnEmptyResult=\"TRUE\">" +
            "<Say>a</Say><Pause length=\"2\"/><Play loop=\"2\">https://h/p.wav</Play></Gather></Response>"))[0];

        Assert.Equal((4, TimeSpan.FromSeconds(9), "*", new Uri("https://h/x"), RequestMethod.Get, true),
            ((int)gather.NumDigits!, gather.Timeout, gather.FinishOnKey, gather.Action!, gather.Method, gather.ActionOnEmptyResult));
        Assert.Equal("Say Pause Play", TwilioExampleTests.Shape(gather.Prompts));
    }

    [Fact]
    public async Task Empty_finish_on_key_means_no_key_finishes()
    {
        var gather = (GatherVerb)(await Parse("<Response><Gather finishOnKey=\"\"/></Response>"))[0];

        Assert.Equal(string.Empty, gather.FinishOnKey);
    }

    [Theory]
    [InlineData("<Say loop=\"abc\">x</Say>", "loop must be a whole number from 0 to 1000")]
    [InlineData("<Say loop=\"1001\">x</Say>", "loop must be a whole number")]
    [InlineData("<Say loop=\"-1\">x</Say>", "loop must be a whole number")]
    [InlineData("<Gather numDigits=\"-1\"/>", "numDigits must be a whole number from 1 to 128")]
    [InlineData("<Gather numDigits=\"0\"/>", "numDigits must be a whole number")]
    [InlineData("<Gather timeout=\"1e9\"/>", "timeout must be a whole number from 0 to 600")]
    [InlineData("<Gather timeout=\"2.5\"/>", "timeout must be a whole number")]
    [InlineData("<Gather timeout=\"99999999999999\"/>", "timeout must be a whole number")]
    [InlineData("<Gather method=\"PUT\"/>", "method must be GET or POST")]
    [InlineData("<Gather finishOnKey=\"x\"/>", "finishOnKey may contain only 0-9, * and #")]
    [InlineData("<Gather finishOnKey=\"#*\"/>", "finishOnKey must be one of 0-9, *, # or empty")]
    [InlineData("<Gather input=\"telepathy\"/>", "input must be dtmf, speech")]
    [InlineData("<Gather actionOnEmptyResult=\"yes\"/>", "actionOnEmptyResult must be true or false")]
    [InlineData("<Pause length=\"-5\"/>", "length must be a whole number")]
    [InlineData("<Pause length=\"86400\"/>", "length must be a whole number from 0 to 3600")]
    [InlineData("<Play digits=\"12x\"/>", "digits may contain only 0-9, *, #, A-D, w and W")]
    [InlineData("<Dial timeout=\"0\">123</Dial>", "timeout must be a whole number from 1 to 600")]
    [InlineData("<Dial record=\"sometimes\">123</Dial>", "record must be do-not-record")]
    [InlineData("<Dial hangupOnStar=\"1\">123</Dial>", "hangupOnStar must be true or false")]
    [InlineData("<Dial><Number sendDigits=\"1;2\">123</Number></Dial>", "sendDigits may contain only")]
    [InlineData("<Record maxLength=\"0\"/>", "maxLength must be a whole number from 1 to 14400")]
    [InlineData("<Record playBeep=\"loud\"/>", "playBeep must be true or false")]
    [InlineData("<Record trim=\"some\"/>", "trim must be trim-silence or do-not-trim")]
    [InlineData("<Reject reason=\"maybe\"/>", "reason must be rejected or busy")]
    [InlineData("<Redirect method=\"DELETE\">/x</Redirect>", "method must be GET or POST")]
    [InlineData("<Say voice=\"a b\">x</Say>", "voice may contain only letters")]
    public async Task Invalid_attribute_values_are_rejected_with_a_clear_message(string verb, string message)
    {
        var ex = await Rejects($"<Response>\n{verb}</Response>", VoiceAppErrorCode.InvalidVerb);

        Assert.Contains(message, ex.Message);
        Assert.StartsWith("line 2:", ex.Message);
    }

    [Theory]
    [InlineData("<Play/>", "needs a URL or a digits attribute")]
    [InlineData("<Dial/>", "has no number to dial")]
    [InlineData("<Dial>   </Dial>", "has no number to dial")]
    [InlineData("<Dial>call mom</Dial>", "is not a phone number")]
    [InlineData("<Dial>123<Number>456</Number></Dial>", "both a number as text")]
    [InlineData("<Dial><Sip>sip:</Sip></Dial>", "is not a sip: URI")]
    [InlineData("<Redirect/>", "has no URL")]
    [InlineData("<Gather><Dial>123</Dial></Gather>", "cannot be nested in <Gather>")]
    [InlineData("<Gather><Play digits=\"1\"/></Gather>", "<Play digits> cannot be nested in <Gather>")]
    public async Task Invalid_verb_content_is_rejected(string verb, string message)
    {
        var ex = await Rejects($"<Response>{verb}</Response>", VoiceAppErrorCode.InvalidVerb);

        Assert.Contains(message, ex.Message);
    }

    [Theory]
    [InlineData("<Play>ftp://example.com/a.wav</Play>")]
    [InlineData("<Play>file:///etc/passwd</Play>")]
    [InlineData("<Redirect>javascript:alert(1)</Redirect>")]
    [InlineData("<Gather action=\"gopher://x/\"/>")]
    public async Task Non_http_urls_are_refused(string verb)
    {
        await Rejects($"<Response>{verb}</Response>", VoiceAppErrorCode.InvalidUrl);
    }

    [Fact]
    public async Task Relative_urls_in_an_inline_document_without_a_url_are_refused()
    {
        var ex = await Assert.ThrowsAsync<VoiceAppException>(() => VoiceDocumentReader.ParseAsync("<Response><Redirect>/next</Redirect></Response>"));

        Assert.Equal(VoiceAppErrorCode.InvalidUrl, ex.Code);
        Assert.Contains("relative", ex.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("<html><body>oops</body></html>", "root element must be <Response>, not <html>")]
    [InlineData("<Response><Say>unclosed</Response>", "")]
    [InlineData("<Response><Say>x</Say>", "")]
    [InlineData("not xml at all", "")]
    public async Task Malformed_documents_are_unparseable(string xml, string message)
    {
        var ex = await Rejects(xml, VoiceAppErrorCode.UnparseableDocument);

        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public async Task An_empty_response_has_no_verbs()
    {
        Assert.Empty(await Parse("<?xml version=\"1.0\"?><Response/>"));
        Assert.Empty(await Parse("<Response>  <!-- nothing --> </Response>"));
    }

    [Fact]
    public async Task Verbs_after_a_failure_are_not_returned_and_the_error_repeats()
    {
        using var reader = VoiceDocumentReader.FromString("<Response><Say>ok</Say><Say loop=\"x\">bad</Say><Say>never</Say></Response>");

        Assert.IsType<SayVerb>(await reader.ReadAsync());
        var first = await Assert.ThrowsAsync<VoiceAppException>(async () => await reader.ReadAsync());
        var again = await Assert.ThrowsAsync<VoiceAppException>(async () => await reader.ReadAsync());
        Assert.Same(first, again);
    }

    [Fact]
    public async Task Too_many_verbs_are_refused()
    {
        var xml = "<Response>" + string.Concat(Enumerable.Repeat("<Pause/>", 20)) + "</Response>";

        var ex = await Rejects(xml, VoiceAppErrorCode.TooLarge, VoiceDocumentLimits.Default with { MaxVerbs = 10 });
        Assert.Contains("more than 10 verbs", ex.Message);
    }

    [Fact]
    public async Task Too_long_text_is_refused()
    {
        var ex = await Rejects("<Response><Say>" + new string('a', 5000) + "</Say></Response>", VoiceAppErrorCode.TooLarge);

        Assert.Contains("longer than 4096 characters", ex.Message);
    }

    [Fact]
    public async Task Too_many_nested_verbs_in_gather_are_refused()
    {
        var xml = "<Response><Gather>" + string.Concat(Enumerable.Repeat("<Say>x</Say>", 5)) + "</Gather></Response>";

        await Rejects(xml, VoiceAppErrorCode.TooLarge, VoiceDocumentLimits.Default with { MaxNestedVerbs = 4 });
    }

    [Fact]
    public async Task Too_many_dial_targets_are_refused()
    {
        var xml = "<Response><Dial>" + string.Concat(Enumerable.Repeat("<Number>123</Number>", 11)) + "</Dial></Response>";

        await Rejects(xml, VoiceAppErrorCode.TooLarge);
    }
}
