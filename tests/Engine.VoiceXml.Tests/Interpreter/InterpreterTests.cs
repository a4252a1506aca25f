using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Fetching;
using Dialtone.Engine.VoiceXml.Interpreter;
using Dialtone.Engine.VoiceXml.Tests.Support;
using Dialtone.Engine.VoiceXml.Verbs;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.VoiceXml.Tests.Interpreter;

public sealed class InterpreterTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static VoiceInterpreter Interpreter(TimeProvider? time = null, VoiceInterpreterOptions? options = null) =>
        new(Guards.LoopbackFetcher(), options, time);

    private static Task<InterpreterOutcome> Run(TestHttpServer server, RecordingCall call, TimeProvider? time = null, VoiceInterpreterOptions? options = null, string path = "/app", Uri? fallback = null) =>
        Interpreter(time, options).RunAsync(call, new VoiceApplicationRequest { Url = server.Url(path), FallbackUrl = fallback }, CancellationToken.None).WaitAsync(HangGuard);

    private static TestHttpServer Serve(params (string Path, string Xml)[] documents) =>
        TestHttpServer.ServingDocuments(documents.ToDictionary(d => d.Path, d => d.Xml));

    /// <summary>Moves a fake clock forward until <paramref name="run"/> finishes (each step lets pending awaits register their timers).</summary>
    private static async Task<T> AdvanceUntilDone<T>(FakeTimeProvider time, Task<T> run, TimeSpan step)
    {
        for (var i = 0; i < 2000 && !run.IsCompleted; i++)
        {
            await Task.Delay(5);
            time.Advance(step);
        }
        return await run.WaitAsync(HangGuard);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 2000 && !condition(); i++)
            await Task.Delay(5);
        Assert.True(condition(), "condition not reached");
    }

    [Fact]
    public async Task The_first_say_starts_before_the_rest_of_the_document_is_sent()
    {
        var call = new RecordingCall();
        var restSent = false;
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "text/xml", contentLength: null);
            await response.WriteAsync("<?xml version=\"1.0\"?><Response><Say>Welcome</Say>");
            // Hold the rest back until the call has started speaking: if the interpreter waited for
            // the whole document, this would never complete.
            await call.SayStarted.Task.WaitAsync(HangGuard);
            restSent = true;
            await response.WriteAsync("<Say>Second</Say><Hangup/></Response>");
            await response.EndAsync();
        });

        var outcome = await Run(server, call);

        Assert.True(restSent);
        Assert.Equal(InterpreterEndReason.HungUp, outcome.Reason);
        Assert.Equal(["Say:Welcome|||1", "Say:Second|||1", "Hangup"], call.Actions);
    }

    [Fact]
    public async Task The_app_request_carries_the_standard_call_fields()
    {
        await using var server = Serve(("/app", "<Response><Hangup/></Response>"));
        var call = new RecordingCall();

        await Run(server, call);

        var form = Assert.Single(server.Requests).Form;
        Assert.Equal(call.Facts.CallSid, form["CallSid"]);
        Assert.Equal(call.Facts.AccountSid, form["AccountSid"]);
        Assert.Equal("+15550001111", form["From"]);
        Assert.Equal("+15550002222", form["To"]);
        Assert.Equal("in-progress", form["CallStatus"]);
        Assert.Equal("outbound-api", form["Direction"]);
    }

    [Fact]
    public async Task Say_play_and_digits_are_carried_out_in_order_and_the_end_of_the_document_hangs_up()
    {
        await using var server = Serve(("/app",
            "<Response><Say voice=\"woman\" language=\"fr-FR\" loop=\"2\">Bonjour</Say><Play loop=\"3\">/audio/a.wav</Play><Play digits=\"1w2\"/></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call);

        Assert.Equal(InterpreterEndReason.DocumentEnded, outcome.Reason);
        Assert.Equal(["Say:Bonjour|woman|fr-FR|2", $"Play:{server.Url("/audio/a.wav")}|3", "SendDigits:1w2", "Hangup"], call.Actions);
        Assert.Equal(3, outcome.VerbsExecuted);
    }

    [Fact]
    public async Task Pause_waits_on_the_injected_clock()
    {
        await using var server = Serve(("/app", "<Response><Pause length=\"30\"/><Say>after</Say></Response>"));
        var call = new RecordingCall();
        var time = new FakeTimeProvider();

        var run = Interpreter(time).RunAsync(call, new VoiceApplicationRequest { Url = server.Url("/app") }, CancellationToken.None);
        await Task.Delay(200);
        Assert.Empty(call.Actions);
        var outcome = await AdvanceUntilDone(time, run, TimeSpan.FromSeconds(1));

        Assert.Equal(InterpreterEndReason.DocumentEnded, outcome.Reason);
        Assert.Equal(["Say:after|||1", "Hangup"], call.Actions);
    }

    [Fact]
    public async Task Hangup_ends_the_document()
    {
        await using var server = Serve(("/app", "<Response><Say>bye</Say><Hangup/><Say>never</Say></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call);

        Assert.Equal(InterpreterEndReason.HungUp, outcome.Reason);
        Assert.Equal(["Say:bye|||1", "Hangup"], call.Actions);
    }

    [Fact]
    public async Task Reject_ends_the_call_with_its_reason()
    {
        await using var server = Serve(("/app", "<Response><Reject reason=\"busy\"/><Say>never</Say></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call);

        Assert.Equal((InterpreterEndReason.Rejected, RejectReason.Busy), (outcome.Reason, outcome.RejectReason));
        Assert.Equal(["Reject:Busy"], call.Actions);
    }

    [Fact]
    public async Task Unknown_verbs_are_skipped_and_reported_as_warnings()
    {
        await using var server = Serve(("/app", "<Response><Enqueue>q</Enqueue><Say>hi</Say><Connect><Stream/></Connect><hangup/></Response>"));
        var call = new RecordingCall();
        var logged = new List<string>();

        var outcome = await Run(server, call, options: new VoiceInterpreterOptions { OnWarning = w => logged.Add(w.Message) });

        Assert.Equal(["Say:hi|||1", "Hangup"], call.Actions);
        Assert.Equal(2, outcome.Warnings.Count);
        Assert.Equal(outcome.Warnings.Select(w => w.Message), logged);
    }

    [Fact]
    public async Task Gather_posts_the_digits_to_its_action_when_num_digits_is_reached()
    {
        await using var server = Serve(
            ("/app", "<Response><Gather action=\"/menu\" numDigits=\"2\"><Say>Press two keys</Say></Gather><Say>no input</Say></Response>"),
            ("/menu", "<Response><Say>thanks</Say></Response>"));
        var call = new RecordingCall();

        var run = Run(server, call);
        await call.SayStarted.Task.WaitAsync(HangGuard);
        await WaitFor(() => call.DigitReads >= 1);
        call.Press("42");
        var outcome = await run;

        Assert.Equal(InterpreterEndReason.DocumentEnded, outcome.Reason);
        Assert.Equal(["Say:Press two keys|||1", "Say:thanks|||1", "Hangup"], call.Actions);
        var action = server.Requests.Last();
        Assert.Equal("/menu", action.Path);
        Assert.Equal("42", action.Form["Digits"]);
        Assert.Equal(call.Facts.CallSid, action.Form["CallSid"]);
        Assert.Equal("in-progress", action.Form["CallStatus"]);
        Assert.False(action.Form.ContainsKey("FinishedOnKey"));
    }

    [Fact]
    public async Task Gather_finish_on_key_submits_without_the_key()
    {
        await using var server = Serve(
            ("/app", "<Response><Gather action=\"/pin\" method=\"GET\"/></Response>"),
            ("/pin", "<Response><Hangup/></Response>"));
        var call = new RecordingCall();

        var run = Run(server, call);
        await WaitFor(() => call.DigitReads >= 1);
        call.Press("1234#99");
        await run;

        var action = server.Requests.Last();
        Assert.Equal("GET", action.Method);
        Assert.Equal("1234", action.Form["Digits"]);
        Assert.Equal("#", action.Form["FinishedOnKey"]);
    }

    [Fact]
    public async Task Gather_with_no_action_posts_back_to_the_current_document()
    {
        var pressed = false;
        await using var server = new TestHttpServer((request, response) =>
            response.SendAsync(200, request.Form.ContainsKey("Digits") ? "<Response><Say>got it</Say></Response>" : "<Response><Gather numDigits=\"1\"/></Response>"));
        var call = new RecordingCall();

        var run = Run(server, call, path: "/ivr?step=1");
        await WaitFor(() => call.DigitReads >= 1);
        call.Press("7");
        pressed = true;
        await run;

        Assert.True(pressed);
        var action = server.Requests.Last();
        Assert.Equal("/ivr?step=1", action.Target);
        Assert.Equal("7", action.Form["Digits"]);
    }

    [Fact]
    public async Task Gather_timeout_submits_the_digits_received_so_far()
    {
        await using var server = Serve(
            ("/app", "<Response><Gather action=\"/menu\" timeout=\"5\" finishOnKey=\"\"/></Response>"),
            ("/menu", "<Response><Hangup/></Response>"));
        var call = new RecordingCall();
        var time = new FakeTimeProvider();

        var run = Interpreter(time).RunAsync(call, new VoiceApplicationRequest { Url = server.Url("/app") }, CancellationToken.None);
        await WaitFor(() => call.DigitReads >= 1);
        call.Press("1");
        await WaitFor(() => call.DigitReads >= 2);
        call.Press("#");
        await WaitFor(() => call.DigitReads >= 3);
        var outcome = await AdvanceUntilDone(time, run, TimeSpan.FromSeconds(1));

        Assert.Equal(InterpreterEndReason.HungUp, outcome.Reason);
        Assert.Equal("1#", server.Requests.Last().Form["Digits"]);
    }

    [Fact]
    public async Task Gather_without_input_falls_through_to_the_next_verb()
    {
        await using var server = Serve(("/app", "<Response><Gather action=\"/menu\"><Say>Press a key</Say></Gather><Say>We didn't receive any input. Goodbye!</Say></Response>"));
        var call = new RecordingCall();
        var time = new FakeTimeProvider();

        var run = Interpreter(time).RunAsync(call, new VoiceApplicationRequest { Url = server.Url("/app") }, CancellationToken.None);
        var outcome = await AdvanceUntilDone(time, run, TimeSpan.FromSeconds(1));

        Assert.Equal(InterpreterEndReason.DocumentEnded, outcome.Reason);
        Assert.Equal(["Say:Press a key|||1", "Say:We didn't receive any input. Goodbye!|||1", "Hangup"], call.Actions);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Gather_with_action_on_empty_result_posts_empty_digits()
    {
        await using var server = Serve(
            ("/app", "<Response><Gather action=\"/menu\" actionOnEmptyResult=\"true\"/><Say>unreachable</Say></Response>"),
            ("/menu", "<Response><Hangup/></Response>"));
        var call = new RecordingCall();
        var time = new FakeTimeProvider();

        var run = Interpreter(time).RunAsync(call, new VoiceApplicationRequest { Url = server.Url("/app") }, CancellationToken.None);
        await AdvanceUntilDone(time, run, TimeSpan.FromSeconds(1));

        Assert.Equal(string.Empty, server.Requests.Last().Form["Digits"]);
        Assert.Equal(["Hangup"], call.Actions);
    }

    [Fact]
    public async Task A_digit_during_a_nested_prompt_stops_it_and_skips_the_remaining_prompts()
    {
        await using var server = Serve(
            ("/app", "<Response><Gather action=\"/menu\" numDigits=\"3\"><Say>For sales press 1</Say><Play>/hold.wav</Play></Gather></Response>"),
            ("/menu", "<Response><Hangup/></Response>"));
        var call = new RecordingCall { PromptsBlock = true };

        var run = Run(server, call);
        await call.SayStarted.Task.WaitAsync(HangGuard);
        call.Press("1");
        await WaitFor(() => call.Actions.Contains("Interrupted:Say:For sales press 1"));
        await WaitFor(() => call.DigitReads >= 2);
        call.Press("23");
        var outcome = await run;

        Assert.Equal(InterpreterEndReason.HungUp, outcome.Reason);
        Assert.Equal(["Say:For sales press 1|||1", "Interrupted:Say:For sales press 1", "Hangup"], call.Actions);
        Assert.Equal("123", server.Requests.Last().Form["Digits"]);
    }

    [Fact]
    public async Task Digits_pressed_before_a_gather_starts_do_not_count()
    {
        await using var server = Serve(
            ("/app", "<Response><Gather action=\"/menu\" numDigits=\"1\"/></Response>"),
            ("/menu", "<Response><Hangup/></Response>"));
        var call = new RecordingCall();
        call.Press("9");

        var run = Run(server, call);
        await WaitFor(() => call.DigitReads >= 1);
        call.Press("5");
        await run;

        Assert.Equal("5", server.Requests.Last().Form["Digits"]);
    }

    [Fact]
    public async Task Dial_posts_its_status_sid_duration_and_recording_to_the_action()
    {
        await using var server = Serve(
            ("/app", "<Response><Dial action=\"/dialed\" record=\"record-from-answer\" callerId=\"+15550009999\"><Number sendDigits=\"ww1\">+14155550100</Number></Dial><Say>unreachable</Say></Response>"),
            ("/dialed", "<Response><Say>after dial</Say></Response>"));
        var call = new RecordingCall
        {
            DialResult = new DialResult(DialCallStatus.NoAnswer, "CA" + new string('9', 32), TimeSpan.FromSeconds(12.6)) { RecordingUrl = new Uri("http://127.0.0.1/rec/RE2.wav") },
        };

        await Run(server, call);

        Assert.Equal(["Dial:+14155550100", "Say:after dial|||1", "Hangup"], call.Actions);
        Assert.Equal("+15550009999", call.LastDial!.CallerId);
        Assert.Equal("ww1", call.LastDial.Targets[0].SendDigits);
        var form = server.Requests.Last().Form;
        Assert.Equal("no-answer", form["DialCallStatus"]);
        Assert.Equal("CA" + new string('9', 32), form["DialCallSid"]);
        Assert.Equal("13", form["DialCallDuration"]);
        Assert.Equal("http://127.0.0.1/rec/RE2.wav", form["RecordingUrl"]);
        Assert.Equal(call.Facts.CallSid, form["CallSid"]);
    }

    [Fact]
    public async Task Dial_without_action_continues_with_the_next_verb()
    {
        await using var server = Serve(("/app", "<Response><Forward>+14155550100</Forward><Say>Goodbye</Say></Response>"));
        var call = new RecordingCall();

        await Run(server, call);

        Assert.Equal(["Dial:+14155550100", "Say:Goodbye|||1", "Hangup"], call.Actions);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Record_posts_the_recording_to_its_action()
    {
        await using var server = Serve(
            ("/app", "<Response><Record action=\"/voicemail\" maxLength=\"20\" finishOnKey=\"*\" playBeep=\"false\"/><Say>unreachable</Say></Response>"),
            ("/voicemail", "<Response><Say>Thanks</Say><Hangup/></Response>"));
        var call = new RecordingCall { RecordResult = new RecordResult(new Uri("http://127.0.0.1/rec/RE1.wav"), TimeSpan.FromSeconds(7), "*") { RecordingSid = "RE1" } };

        await Run(server, call);

        Assert.Equal(["Record:20|*|False", "Say:Thanks|||1", "Hangup"], call.Actions);
        var form = server.Requests.Last().Form;
        Assert.Equal("http://127.0.0.1/rec/RE1.wav", form["RecordingUrl"]);
        Assert.Equal("7", form["RecordingDuration"]);
        Assert.Equal("*", form["Digits"]);
        Assert.Equal("RE1", form["RecordingSid"]);
    }

    [Fact]
    public async Task An_empty_recording_continues_with_the_next_verb()
    {
        await using var server = Serve(("/app", "<Response><Record action=\"/voicemail\"/><Say>I did not receive a recording</Say></Response>"));
        var call = new RecordingCall { RecordResult = new RecordResult(null, TimeSpan.Zero, "hangup") };

        await Run(server, call);

        Assert.Equal(["Record:3600|1234567890*#|True", "Say:I did not receive a recording|||1", "Hangup"], call.Actions);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Recording_starts_whole_call_recording_and_continues()
    {
        await using var server = Serve(("/app", "<Response><Recording/><Say>this call is recorded</Say></Response>"));
        var call = new RecordingCall();

        await Run(server, call);

        Assert.Equal(["StartCallRecording", "Say:this call is recorded|||1", "Hangup"], call.Actions);
    }

    [Fact]
    public async Task Redirect_fetches_the_new_document_with_its_method()
    {
        await using var server = Serve(
            ("/app", "<Response><Say>one</Say><Redirect method=\"GET\">/two</Redirect><Say>unreachable</Say></Response>"),
            ("/two", "<Response><Say>two</Say></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call);

        Assert.Equal(["Say:one|||1", "Say:two|||1", "Hangup"], call.Actions);
        Assert.Equal("GET", server.Requests.Last().Method);
        Assert.Equal(call.Facts.CallSid, server.Requests.Last().Form["CallSid"]);
        Assert.Equal(2, outcome.DocumentsFetched);
    }

    [Fact]
    public async Task A_redirect_loop_is_stopped_at_the_redirect_limit_and_the_call_hung_up()
    {
        await using var server = Serve(("/app", "<Response><Redirect>/app</Redirect></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call, options: new VoiceInterpreterOptions { MaxRedirectsPerCall = 10 });

        Assert.Equal(InterpreterEndReason.Failed, outcome.Reason);
        Assert.Equal(VoiceAppErrorCode.RedirectLimit, outcome.ErrorCode);
        Assert.Contains("more than 10 <Redirect> verbs", outcome.ErrorMessage);
        Assert.Equal(11, server.Requests.Count);
        Assert.Equal(["Hangup"], call.Actions);
    }

    [Fact]
    public async Task An_action_loop_is_stopped_at_the_document_limit()
    {
        await using var server = Serve(("/app", "<Response><Dial action=\"/app\">123</Dial></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call, options: new VoiceInterpreterOptions { MaxDocumentsPerCall = 5 });

        Assert.Equal(VoiceAppErrorCode.RedirectLimit, outcome.ErrorCode);
        Assert.Equal(5, server.Requests.Count);
    }

    [Fact]
    public async Task An_http_302_loop_fails_with_redirect_limit()
    {
        await using var server = new TestHttpServer((_, response) => response.SendAsync(302, string.Empty, null, "Location: /app"));
        var call = new RecordingCall();

        var outcome = await Run(server, call);

        Assert.Equal(VoiceAppErrorCode.RedirectLimit, outcome.ErrorCode);
        Assert.Equal(["Hangup"], call.Actions);
    }

    [Fact]
    public async Task A_fetch_failure_runs_the_fallback_url_and_tells_it_why()
    {
        await using var server = Serve(("/fallback", "<Response><Say>sorry</Say></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call, path: "/missing", fallback: server.Url("/fallback"));

        Assert.Equal(InterpreterEndReason.DocumentEnded, outcome.Reason);
        Assert.Equal(["Say:sorry|||1", "Hangup"], call.Actions);
        var fallback = server.Requests.Last().Form;
        Assert.Equal(VoiceAppErrorCode.HttpStatus, fallback["ErrorCode"]);
        Assert.Equal(server.Url("/missing").ToString(), fallback["ErrorUrl"]);
        Assert.Contains(outcome.Warnings, w => w.Message.Contains("fallback"));
    }

    [Fact]
    public async Task A_document_that_breaks_midway_switches_to_the_fallback()
    {
        await using var server = Serve(
            ("/app", "<Response><Say>first</Say><Gather numDigits=\"-1\"/></Response>"),
            ("/fallback", "<Response><Say>fallback</Say></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call, fallback: server.Url("/fallback"));

        Assert.Equal(["Say:first|||1", "Say:fallback|||1", "Hangup"], call.Actions);
        Assert.Equal(VoiceAppErrorCode.InvalidVerb, server.Requests.Last().Form["ErrorCode"]);
        Assert.Equal(InterpreterEndReason.DocumentEnded, outcome.Reason);
    }

    [Fact]
    public async Task When_the_url_and_the_fallback_both_fail_the_call_is_hung_up_with_the_error()
    {
        await using var server = new TestHttpServer((request, response) => request.Path == "/app"
            ? response.SendAsync(500, "down", "text/plain")
            : response.SendAsync(200, "<Response><Say>broken", "text/xml"));
        var call = new RecordingCall();

        var outcome = await Run(server, call, fallback: server.Url("/fallback"));

        Assert.Equal(InterpreterEndReason.Failed, outcome.Reason);
        Assert.Equal(VoiceAppErrorCode.UnparseableDocument, outcome.ErrorCode);
        Assert.False(string.IsNullOrEmpty(outcome.ErrorMessage));
        Assert.Equal(["Hangup"], call.Actions);
    }

    [Fact]
    public async Task Without_a_fallback_a_failure_hangs_up_with_its_code_and_message()
    {
        await using var server = new TestHttpServer((_, response) => response.SendAsync(200, "{\"not\":\"xml\"}", "application/json"));
        var call = new RecordingCall();

        var outcome = await Run(server, call);

        Assert.Equal((InterpreterEndReason.Failed, VoiceAppErrorCode.BadContentType), (outcome.Reason, outcome.ErrorCode));
        Assert.Contains("application/json", outcome.ErrorMessage);
        Assert.Equal(["Hangup"], call.Actions);
    }

    [Fact]
    public async Task An_action_that_fails_ends_the_call_with_the_error()
    {
        await using var server = Serve(("/app", "<Response><Dial action=\"/gone\">123</Dial></Response>"));
        var call = new RecordingCall();

        var outcome = await Run(server, call, fallback: server.Url("/app"));

        Assert.Equal(VoiceAppErrorCode.HttpStatus, outcome.ErrorCode);
        Assert.Equal(["Dial:123", "Hangup"], call.Actions);
    }

    [Fact]
    public async Task A_50_megabyte_document_ends_the_call_with_too_large()
    {
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "text/xml", contentLength: null);
            await response.WriteAsync("<Response><Say>start</Say><Say>");
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (var i = 0; i < 800; i++)
                await response.WriteAsync(chunk);
            await response.EndAsync();
        });
        var call = new RecordingCall();

        var outcome = await Run(server, call);

        Assert.Equal(VoiceAppErrorCode.TooLarge, outcome.ErrorCode);
        Assert.Equal(["Say:start|||1", "Hangup"], call.Actions);
    }

    [Fact]
    public async Task Cancelling_the_run_stops_a_long_prompt_promptly_without_hanging_up()
    {
        await using var server = Serve(("/app", "<Response><Say>a very long message</Say><Say>never</Say></Response>"));
        var call = new RecordingCall { PromptsBlock = true };
        using var cts = new CancellationTokenSource();

        var run = Interpreter().RunAsync(call, new VoiceApplicationRequest { Url = server.Url("/app") }, cts.Token);
        await call.SayStarted.Task.WaitAsync(HangGuard);
        cts.Cancel();
        var outcome = await run.WaitAsync(HangGuard);

        Assert.Equal(InterpreterEndReason.Cancelled, outcome.Reason);
        Assert.Equal(["Say:a very long message|||1", "Interrupted:Say:a very long message"], call.Actions);
    }

    [Fact]
    public async Task Cancelling_while_a_document_is_still_arriving_stops_the_run()
    {
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "text/xml", contentLength: null);
            await response.WriteAsync("<Response><Say>one</Say>");
            await Task.Delay(HangGuard);
        });
        var call = new RecordingCall();
        using var cts = new CancellationTokenSource();

        var run = Interpreter().RunAsync(call, new VoiceApplicationRequest { Url = server.Url("/app") }, cts.Token);
        await call.SayStarted.Task.WaitAsync(HangGuard);
        await Task.Delay(100);
        cts.Cancel();

        Assert.Equal(InterpreterEndReason.Cancelled, (await run.WaitAsync(HangGuard)).Reason);
    }

    [Fact]
    public async Task An_inline_document_runs_without_fetching()
    {
        var call = new RecordingCall();

        var outcome = await new VoiceInterpreter(Guards.LoopbackFetcher()).RunAsync(call,
            new VoiceApplicationRequest { Document = "<Response><Say>Your pin is 8 9 70</Say><hangup/></Response>" }, CancellationToken.None);

        Assert.Equal(InterpreterEndReason.HungUp, outcome.Reason);
        Assert.Equal(["Say:Your pin is 8 9 70|||1", "Hangup"], call.Actions);
        Assert.Equal(0, outcome.DocumentsFetched);
    }

    [Fact]
    public async Task An_in_memory_document_runs_the_verbs_before_an_error_in_its_tail_first()
    {
        // The document is parsed whole on the first read (so its reader can be let go), but the error
        // in its tail is still met where a streaming read would meet it: after the verbs before it ran.
        var call = new RecordingCall();

        var outcome = await new VoiceInterpreter(Guards.LoopbackFetcher()).RunAsync(call,
            new VoiceApplicationRequest { Document = "<Response><Say>first</Say><Say>second</Say><Gather numDigits=\"-1\"/></Response>" }, CancellationToken.None);

        Assert.Equal((InterpreterEndReason.Failed, VoiceAppErrorCode.InvalidVerb), (outcome.Reason, outcome.ErrorCode));
        Assert.Equal(["Say:first|||1", "Say:second|||1", "Hangup"], call.Actions);
    }

    [Fact]
    public async Task The_metadata_address_as_app_url_fails_as_forbidden()
    {
        var call = new RecordingCall();
        var interpreter = new VoiceInterpreter(new VoiceDocumentFetcher(VoiceDocumentFetcher.CreateHttpClient(new OutboundAddressGuard(OutboundAddressPolicy.Default))));

        var outcome = await interpreter.RunAsync(call, new VoiceApplicationRequest { Url = new Uri("http://169.254.169.254/latest/meta-data/") }, CancellationToken.None);

        Assert.Equal(VoiceAppErrorCode.ForbiddenAddress, outcome.ErrorCode);
        Assert.Equal(["Hangup"], call.Actions);
    }
}
