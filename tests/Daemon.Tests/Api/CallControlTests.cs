using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Api;

public sealed class CallControlTests : IAsyncLifetime
{
    private readonly ScriptedDialer _dialer = new();
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await TestDaemon.StartAsync(dialer: _dialer);

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private Task<(int Status, System.Text.Json.JsonElement Body)> Update(string sid, params (string, string)[] fields) =>
        _daemon.SendAsync(TestDaemon.Form($"/v1/calls/{sid}", fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));

    private async Task WaitForStatusAsync(string sid, CallStatus status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (_daemon.Calls.Get(TestAccounts.FirstSid, sid)?.Status != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"call {sid} never reached {status}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_completed_call_reads_back_with_its_detail_record()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550100"));
        await _daemon.WaitUntilFinalAsync(sid);

        var (status, body) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, $"/v1/calls/{sid}"));

        Assert.Equal(200, status);
        Assert.Equal("completed", body.GetProperty("status").GetString());
        Assert.Equal("completed", body.GetProperty("result").GetString());
        Assert.Equal(200, body.GetProperty("sip_response_code").GetInt32());
        Assert.True(body.GetProperty("duration").GetInt32() >= 0);
        var created = body.GetProperty("date_created").GetDateTimeOffset();
        var started = body.GetProperty("start_time").GetDateTimeOffset();
        var answered = body.GetProperty("answer_time").GetDateTimeOffset();
        var ended = body.GetProperty("end_time").GetDateTimeOffset();
        Assert.True(created <= started && started <= answered && answered <= ended);
    }

    [Theory]
    [InlineData("+15550486", "busy", 486)]
    [InlineData("+15550500", "completed", 200)]
    public async Task Calls_end_with_the_state_their_SIP_outcome_gives(string to, string result, int code)
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", to));

        var call = await _daemon.WaitUntilFinalAsync(sid);

        Assert.Equal((result, code), (CallStatusText.Of(call.Status), call.SipResponseCode));
    }

    [Fact]
    public async Task A_call_nobody_answers_ends_no_answer_after_its_ring_timeout()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550487"), ("Timeout", "1"));

        var call = await _daemon.WaitUntilFinalAsync(sid);

        Assert.Equal((CallStatus.NoAnswer, 487), (call.Status, call.SipResponseCode));
        Assert.Equal(0, call.DurationSeconds);
    }

    [Fact]
    public async Task Canceling_a_ringing_call_ends_it_canceled()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550487"));
        await WaitForStatusAsync(sid, CallStatus.Ringing);

        var (status, _) = await Update(sid, ("status", "canceled"));
        var call = await _daemon.WaitUntilFinalAsync(sid);

        Assert.Equal(200, status);
        Assert.Equal((CallStatus.Canceled, 487), (call.Status, call.SipResponseCode));
    }

    [Fact]
    public async Task An_answered_call_cannot_be_canceled_but_can_be_hung_up()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550200"));
        await WaitForStatusAsync(sid, CallStatus.InProgress);

        var (cancel, error) = await Update(sid, ("Status", "canceled"));
        var (hangup, _) = await Update(sid, ("Status", "completed"));
        var call = await _daemon.WaitUntilFinalAsync(sid);

        Assert.Equal(409, cancel);
        Assert.Equal("invalid_call_state", error.GetProperty("code").GetString());
        Assert.Equal(200, hangup);
        Assert.Equal(CallStatus.Completed, call.Status);
    }

    [Fact]
    public async Task A_live_call_is_redirected_and_a_finished_one_is_not()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550200"), ("url", "https://app.example.com/first.xml"));
        await WaitForStatusAsync(sid, CallStatus.InProgress);

        var (redirected, body) = await Update(sid, ("url", "https://app.example.com/second.xml"), ("method", "GET"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_dialer.Redirects.IsEmpty && DateTime.UtcNow < deadline)
            await Task.Delay(10);
        await Update(sid, ("status", "completed"));
        await _daemon.WaitUntilFinalAsync(sid);
        var (late, error) = await Update(sid, ("url", "https://app.example.com/third.xml"));

        Assert.Equal(200, redirected);
        Assert.Equal("in-progress", body.GetProperty("status").GetString());
        var (redirectedSid, redirect) = Assert.Single(_dialer.Redirects);
        Assert.Equal(sid, redirectedSid);
        Assert.Equal(new CallRedirect("https://app.example.com/second.xml", HttpMethodKind.Get, null), redirect);
        Assert.Equal("https://app.example.com/second.xml", _daemon.Calls.Get(TestAccounts.FirstSid, sid)!.Request.Url);
        Assert.Equal(409, late);
        Assert.Equal("invalid_call_state", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Hanging_up_a_finished_call_returns_it_unchanged()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550486"));
        await _daemon.WaitUntilFinalAsync(sid);

        var (status, body) = await Update(sid, ("status", "completed"));

        Assert.Equal(200, status);
        Assert.Equal("busy", body.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("status", "ringing", "invalid_status", "status")]
    [InlineData("Status", "busy", "invalid_status", "Status")]
    [InlineData("other", "x", "nothing_to_update", null)]
    [InlineData("url", "not-a-url", "invalid_url", "url")]
    public async Task Bad_updates_are_refused_with_their_code(string name, string value, string code, string? field)
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550486"));

        var (status, error) = await Update(sid, (name, value));

        Assert.Equal(400, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").ValueKind == System.Text.Json.JsonValueKind.Null ? null : error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Updating_with_both_a_status_and_a_url_is_a_conflict()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550486"));

        var (status, error) = await Update(sid, ("status", "completed"), ("url", "https://app.example.com/a.xml"));

        Assert.Equal(400, status);
        Assert.Equal("conflicting_parameters", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("CA00000000000000000000000000000000")]
    [InlineData("not-a-sid")]
    public async Task Unknown_calls_are_404(string sid)
    {
        var (get, error) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, $"/v1/calls/{sid}"));
        var (update, _) = await Update(sid, ("status", "completed"));

        Assert.Equal((404, 404), (get, update));
        Assert.Equal("not_found", error.GetProperty("code").GetString());
    }
}
