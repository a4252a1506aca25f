using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Tests.Support;
using Dialtone.Engine.VoiceXml.Fetching;

namespace Dialtone.Daemon.Tests.Callbacks;

public sealed class CallbackDispatcherTests
{
    private const string CallA = "CA000000000000000000000000000000aa";
    private const string CallB = "CA000000000000000000000000000000bb";

    private static List<int> SequencesOf(IEnumerable<ReceivedRequest> requests, string callSid) =>
        requests.Where(r => r.Field("CallSid") == callSid).Select(r => int.Parse(r.Field("SequenceNumber")!)).ToList();

    [Fact]
    public async Task Pending_events_are_delivered_in_order_per_call()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await outbox.AddAsync(CallA, i, receiver.BaseUrl + "/a");
            await outbox.AddAsync(CallB, i, receiver.BaseUrl + "/b");
        }

        await outbox.WaitUntilSettledAsync();

        var received = receiver.Requests;
        Assert.Equal([0, 1, 2, 3, 4], SequencesOf(received, CallA));
        Assert.Equal([0, 1, 2, 3, 4], SequencesOf(received, CallB));
        Assert.All(outbox.Store.ListForCall(CallA), e => Assert.Equal((OutboxState.Delivered, 1, 200), (e.State, e.Attempts, e.LastStatusCode)));
        Assert.Equal(10, outbox.Metrics.CallbacksDelivered.Value);
        Assert.Equal(0, outbox.Metrics.CallbackQueueDepth.Value);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task Failures_worth_retrying_are_retried_until_delivered_keeping_the_order(int failure)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var failed = 0;
        receiver.Respond = _ => Interlocked.Increment(ref failed) <= 6 ? failure : 200;
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();
        for (var i = 0; i < 4; i++)
            await outbox.AddAsync(CallA, i, receiver.BaseUrl + "/a");

        await outbox.WaitUntilSettledAsync();

        Assert.Equal([0, 1, 2, 3], SequencesOf(receiver.Accepted, CallA));
        var events = outbox.Store.ListForCall(CallA);
        Assert.All(events, e => Assert.Equal(OutboxState.Delivered, e.State));
        Assert.Equal(7, events[0].Attempts);
        Assert.True(outbox.Metrics.CallbackAttempts.Value >= 10);
    }

    [Fact]
    public async Task A_receiver_that_is_down_for_a_while_gets_everything_once_back_in_order()
    {
        var receiver = WebhookReceiver.NotStarted();
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();
        for (var i = 0; i < 3; i++)
            await outbox.AddAsync(CallA, i, receiver.BaseUrl + "/a");

        await Task.Delay(400);
        var whileDown = outbox.Store.ListForCall(CallA);
        await receiver.StartAgainAsync();
        await outbox.WaitUntilSettledAsync();

        Assert.All(whileDown, e => Assert.Equal(OutboxState.Pending, e.State));
        Assert.True(whileDown[0].Attempts >= 2);
        Assert.Equal(0, whileDown[1].Attempts);
        Assert.Equal([0, 1, 2], SequencesOf(receiver.Requests, CallA));
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_dead_receiver_does_not_hold_up_other_calls()
    {
        var dead = WebhookReceiver.NotStarted();
        await using var live = await WebhookReceiver.StartAsync();
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync(OutboxHarness.FastOptions(workers: 1));

        await outbox.AddAsync(CallA, 0, dead.BaseUrl + "/dead");
        for (var i = 0; i < 5; i++)
            await outbox.AddAsync(CallB, i, live.BaseUrl + "/b");
        await live.WaitForAsync(5, TimeSpan.FromSeconds(10));

        Assert.Equal([0, 1, 2, 3, 4], SequencesOf(live.Requests, CallB));
        Assert.Equal(OutboxState.Pending, outbox.Store.ListForCall(CallA)[0].State);
    }

    [Fact]
    public async Task Pending_events_survive_a_restart_and_delivered_ones_are_not_sent_again()
    {
        using var data = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => int.Parse(r.Field("SequenceNumber")!) < 2 ? 200 : 500;
        await using (var first = new OutboxHarness(data))
        {
            await first.StartAsync();
            for (var i = 0; i < 5; i++)
                await first.AddAsync(CallA, i, receiver.BaseUrl + "/a");
            await receiver.WaitForAsync(4);
        }

        receiver.Respond = _ => 200;
        await using var second = new OutboxHarness(data);
        Assert.Equal(3, second.Store.CountPending());
        await second.StartAsync();
        await second.WaitUntilSettledAsync();

        Assert.Equal([0, 1, 2, 3, 4], SequencesOf(receiver.Accepted, CallA));
        Assert.Equal(1, receiver.Accepted.Count(r => r.Field("SequenceNumber") == "0"));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(301)]
    public async Task A_refusal_is_recorded_and_not_retried_and_the_next_event_follows(int refusal)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => r.Field("SequenceNumber") == "0" ? refusal : 200;
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();
        await outbox.AddAsync(CallA, 0, receiver.BaseUrl + "/a");
        await outbox.AddAsync(CallA, 1, receiver.BaseUrl + "/a");

        await outbox.WaitUntilSettledAsync();

        var events = outbox.Store.ListForCall(CallA);
        Assert.Equal((OutboxState.Rejected, 1, refusal), (events[0].State, events[0].Attempts, events[0].LastStatusCode));
        Assert.Equal(OutboxState.Delivered, events[1].State);
        Assert.Equal(1, receiver.Requests.Count(r => r.Field("SequenceNumber") == "0"));
    }

    [Fact]
    public async Task When_the_retry_policy_runs_out_the_event_is_given_up_not_dropped()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Respond = r => r.Field("SequenceNumber") == "0" ? 503 : 200;
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync(OutboxHarness.FastOptions(maxAttempts: 3));
        await outbox.AddAsync(CallA, 0, receiver.BaseUrl + "/a");
        await outbox.AddAsync(CallA, 1, receiver.BaseUrl + "/a");

        await outbox.WaitUntilSettledAsync();

        var events = outbox.Store.ListForCall(CallA);
        Assert.Equal((OutboxState.GivenUp, 3, 503), (events[0].State, events[0].Attempts, events[0].LastStatusCode));
        Assert.NotNull(events[0].FinishedAt);
        Assert.Equal(OutboxState.Delivered, events[1].State);
    }

    [Fact]
    public async Task A_receiver_too_slow_to_answer_is_retried()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var calls = 0;
        receiver.Respond = _ =>
        {
            if (Interlocked.Increment(ref calls) == 1)
                Thread.Sleep(1500);
            return 200;
        };
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync(OutboxHarness.FastOptions(requestTimeout: TimeSpan.FromMilliseconds(500)));
        await outbox.AddAsync(CallA, 0, receiver.BaseUrl + "/a");

        await outbox.WaitUntilSettledAsync();

        var item = Assert.Single(outbox.Store.ListForCall(CallA));
        Assert.Equal(OutboxState.Delivered, item.State);
        Assert.True(item.Attempts >= 2);
    }

    [Fact]
    public async Task Loopback_is_refused_unless_allowed_and_metadata_always()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync(policy: OutboundAddressPolicy.Default);
        await outbox.AddAsync(CallA, 0, receiver.BaseUrl + "/a");
        await outbox.AddAsync(CallB, 0, "http://169.254.169.254/latest/meta-data");

        await outbox.WaitUntilSettledAsync();

        Assert.Empty(receiver.Requests);
        var loopback = outbox.Store.ListForCall(CallA)[0];
        var metadata = outbox.Store.ListForCall(CallB)[0];
        Assert.Equal((OutboxState.Rejected, 1), (loopback.State, loopback.Attempts));
        Assert.Contains("loopback", loopback.LastError);
        Assert.Equal(OutboxState.Rejected, metadata.State);
        Assert.Contains("metadata", metadata.LastError);
    }

    [Fact]
    public async Task Get_callbacks_carry_the_fields_in_the_query()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();
        await outbox.AddAsync(CallA, 0, receiver.BaseUrl + "/a?token=123456", HttpMethodKind.Get);

        await outbox.WaitUntilSettledAsync();

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(["token", "CallSid", "SequenceNumber"], request.Query.Select(q => q.Key));
        Assert.Empty(request.Form);
        Assert.Equal($"{CallA}/0", request.Headers["X-Dialtone-Event"]);
    }
}
