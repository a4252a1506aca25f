using System.Text;
using Dialtone.Engine.VoiceXml.Parsing;
using Dialtone.Engine.VoiceXml.Tests.Support;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Tests.Parsing;

public sealed class TwilioExampleTests
{
    private static readonly Uri DocumentUrl = new("https://app.example.com/ivr/voice.xml");

    public static TheoryData<string, string> Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadAllLines(Vectors.PathOf("twilio/expected.txt")))
        {
            if (line.StartsWith('#') || line.Trim().Length == 0)
                continue;
            var parts = line.Split('|', 2);
            data.Add(parts[0].Trim(), parts[1].Trim());
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Twilio_example_parses_to_the_expected_verbs(string file, string expected)
    {
        var verbs = await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/" + file), DocumentUrl);

        Assert.Equal(expected, Shape(verbs));
    }

    internal static string Shape(IEnumerable<VoiceVerb> verbs)
    {
        var text = new StringBuilder();
        foreach (var verb in verbs)
        {
            if (text.Length > 0)
                text.Append(' ');
            text.Append(verb.Kind);
            if (verb is GatherVerb gather)
                text.Append('(').Append(Shape(gather.Prompts)).Append(')');
        }
        return text.ToString();
    }

    [Fact]
    public async Task Gather_example_keeps_action_method_and_text()
    {
        var verbs = await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/gather-nested-say.xml"), DocumentUrl);

        var gather = Assert.IsType<GatherVerb>(verbs[0]);
        Assert.Equal(new Uri("https://app.example.com/process_gather.php"), gather.Action);
        Assert.Equal(RequestMethod.Get, gather.Method);
        Assert.Equal(TimeSpan.FromSeconds(5), gather.Timeout);
        Assert.Equal("#", gather.FinishOnKey);
        Assert.Null(gather.NumDigits);
        Assert.Equal("Please enter your account number, followed by the pound sign", Assert.IsType<SayVerb>(gather.Prompts[0]).Text);
        Assert.Equal("We didn't receive any input. Goodbye!", Assert.IsType<SayVerb>(verbs[1]).Text);
    }

    [Fact]
    public async Task Speech_gather_example_is_kept_as_dtmf_with_a_warning()
    {
        using var reader = VoiceDocumentReader.FromString(Vectors.Read("twilio/gather-speech-dtmf.xml"), DocumentUrl);
        var gather = Assert.IsType<GatherVerb>(await reader.ReadAsync());

        Assert.Equal(GatherInput.Dtmf | GatherInput.Speech, gather.Input);
        Assert.Equal(1, gather.NumDigits);
        Assert.Equal(TimeSpan.FromSeconds(3), gather.Timeout);
        Assert.Contains(reader.Warnings, w => w.Message.Contains("speech"));
    }

    [Fact]
    public async Task Say_examples_keep_voice_language_and_loop()
    {
        var say = Assert.IsType<SayVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/say-woman-en-gb-loop.xml")))[0]);

        Assert.Equal(("Hello", "woman", "en-gb", 2), (say.Text, say.Voice, say.Language, say.Loop));
    }

    [Fact]
    public async Task Play_examples_keep_url_loop_and_digits()
    {
        var loop = Assert.IsType<PlayVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/play-loop.xml")))[0]);
        var digits = Assert.IsType<PlayVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/play-digits.xml")))[0]);

        Assert.Equal((new Uri("https://api.twilio.com/cowbell.mp3"), 10), (loop.Url, loop.Loop));
        Assert.Equal("www3", digits.Digits);
        Assert.Null(digits.Url);
    }

    [Fact]
    public async Task Dial_examples_keep_numbers_send_digits_sip_and_attributes()
    {
        var basic = Assert.IsType<DialVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/dial-timeout-record.xml")))[0]);
        var sendDigits = Assert.IsType<DialVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/dial-number-senddigits.xml")))[0]);
        var simultaneous = Assert.IsType<DialVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/dial-simultaneous.xml")))[0]);
        var sip = Assert.IsType<DialVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/dial-sip.xml")))[0]);

        Assert.Equal("4151234567", Assert.Single(basic.Targets).Address);
        Assert.Equal(TimeSpan.FromSeconds(10), basic.Timeout);
        Assert.Equal(DialRecordMode.RecordFromAnswer, basic.Record);
        Assert.Equal("wwww1928", Assert.Single(sendDigits.Targets).SendDigits);
        Assert.Equal(["8589876543", "4151234567", "6197654321"], simultaneous.Targets.Select(t => t.Address));
        Assert.Equal(new DialTarget(DialTargetKind.Sip, "sip:jack@example.com"), Assert.Single(sip.Targets));
    }

    [Fact]
    public async Task Record_example_keeps_action_method_max_length_and_finish_key()
    {
        var verbs = await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/record-voicemail.xml"));

        var record = Assert.IsType<RecordVerb>(verbs[1]);
        Assert.Equal(new Uri("http://foo.edu/handleRecording.php"), record.Action);
        Assert.Equal(RequestMethod.Get, record.Method);
        Assert.Equal(TimeSpan.FromSeconds(20), record.MaxLength);
        Assert.Equal("*", record.FinishOnKey);
        Assert.True(record.PlayBeep);
    }

    [Fact]
    public async Task Relative_redirect_resolves_against_the_document_url()
    {
        var redirect = Assert.IsType<RedirectVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/redirect-relative.xml"), DocumentUrl))[0]);

        Assert.Equal(new Uri("https://app.example.com/nextInstructions"), redirect.Url);
        Assert.Equal(RequestMethod.Post, redirect.Method);
    }

    [Fact]
    public async Task Reject_examples_carry_their_reason()
    {
        var plain = Assert.IsType<RejectVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/reject.xml")))[0]);
        var busy = Assert.IsType<RejectVerb>((await VoiceDocumentReader.ParseAsync(Vectors.Read("twilio/reject-busy.xml")))[0]);

        Assert.Equal(RejectReason.Rejected, plain.Reason);
        Assert.Equal(RejectReason.Busy, busy.Reason);
    }

    [Fact]
    public async Task Seed_hello_world_says_hello_world()
    {
        var verbs = await VoiceDocumentReader.ParseAsync(Vectors.Read("seed/hello-world.xml"));

        Assert.Equal("Hello World", Assert.IsType<SayVerb>(Assert.Single(verbs)).Text);
    }

    [Fact]
    public async Task Seed_pin_document_says_the_digits_as_written_then_hangs_up()
    {
        var verbs = await VoiceDocumentReader.ParseAsync(Vectors.Read("seed/9499300360-authenticate.xml"));

        Assert.Equal("Say Hangup", Shape(verbs));
        Assert.Equal("Your pin is 8 9 70", ((SayVerb)verbs[0]).Text);
    }
}
