using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Callbacks;

/// <summary>
/// Events handed to the dispatcher with their commit (<see cref="CallbackDispatcher.Enqueued(OutboxEvent)"/>,
/// what the call service does), so the dispatcher does not read them back from the store.
/// </summary>
public sealed class CallbackHandOverTests
{
    private const string CallA = "CA000000000000000000000000000000a1";
    private const string CallB = "CA000000000000000000000000000000b2";

    private static OutboxEvent Event(string callSid, int sequence, string url)
    {
        var now = DateTimeOffset.UtcNow;
        return new OutboxEvent
        {
            CallSid = callSid,
            SequenceNumber = sequence,
            AccountSid = TestAccounts.FirstSid,
            EventName = "ringing",
            Url = url,
            Body = FormEncoding.Encode([new("CallSid", callSid), new("SequenceNumber", sequence.ToString())]),
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>Commits the event, then hands it over, as CallService.UpdateAsync does.</summary>
    private static async Task HandOverAsync(OutboxHarness outbox, OutboxEvent item)
    {
        await outbox.Database.WriteAsync((connection, transaction) =>
        {
            CallbackOutboxStore.Insert(connection, transaction, item);
            return 0;
        });
        outbox.Dispatcher!.Enqueued(item);
    }

    private static List<int> SequencesOf(IEnumerable<ReceivedRequest> requests, string callSid) =>
        requests.Where(r => r.Field("CallSid") == callSid).Select(r => int.Parse(r.Field("SequenceNumber")!)).ToList();

    [Fact]
    public async Task Handed_over_events_are_delivered_once_each_in_order_per_call()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();

        for (var i = 0; i < 6; i++)
        {
            await HandOverAsync(outbox, Event(CallA, i, receiver.BaseUrl + "/a"));
            await HandOverAsync(outbox, Event(CallB, i, receiver.BaseUrl + "/b"));
        }
        await outbox.WaitUntilSettledAsync();

        Assert.Equal([0, 1, 2, 3, 4, 5], SequencesOf(receiver.Requests, CallA));
        Assert.Equal([0, 1, 2, 3, 4, 5], SequencesOf(receiver.Requests, CallB));
        Assert.All(outbox.Store.ListForCall(CallA), e => Assert.Equal((OutboxState.Delivered, 1), (e.State, e.Attempts)));
        Assert.Equal(0, outbox.Metrics.CallbackQueueDepth.Value);
    }

    [Fact]
    public async Task A_handed_over_event_that_fails_is_retried_and_the_next_waits_for_it()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var failures = 0;
        receiver.Respond = r => r.Field("SequenceNumber") == "0" && Interlocked.Increment(ref failures) <= 3 ? 503 : 200;
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();

        for (var i = 0; i < 3; i++)
            await HandOverAsync(outbox, Event(CallA, i, receiver.BaseUrl + "/a"));
        await outbox.WaitUntilSettledAsync();

        Assert.Equal([0, 1, 2], SequencesOf(receiver.Accepted, CallA));
        // Nothing after event 0 was sent before event 0 got through.
        Assert.Equal([0, 0, 0, 0, 1, 2], SequencesOf(receiver.Requests, CallA));
        var events = outbox.Store.ListForCall(CallA);
        Assert.Equal(4, events[0].Attempts);
        Assert.All(events, e => Assert.Equal(OutboxState.Delivered, e.State));
    }

    [Fact]
    public async Task Handed_over_events_not_delivered_before_a_stop_are_delivered_after_the_restart()
    {
        using var data = new TempDirectory();
        var receiver = WebhookReceiver.NotStarted();
        await using (var first = new OutboxHarness(data))
        {
            await first.StartAsync();
            for (var i = 0; i < 4; i++)
                await HandOverAsync(first, Event(CallA, i, receiver.BaseUrl + "/a"));
            await Task.Delay(200);
        }

        await receiver.StartAgainAsync();
        await using var second = new OutboxHarness(data);
        Assert.Equal(4, second.Store.CountPending());
        await second.StartAsync();
        await second.WaitUntilSettledAsync();

        Assert.Equal([0, 1, 2, 3], SequencesOf(receiver.Accepted, CallA));
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task An_event_handed_over_while_its_call_is_read_from_the_store_is_delivered_once_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var gate = new SemaphoreSlim(0);
        using var firstArrived = new SemaphoreSlim(0);
        receiver.Respond = r =>
        {
            // Hold the first event until the later ones are in, so they arrive while the call is worked on.
            if (r.Field("SequenceNumber") == "0")
            {
                firstArrived.Release();
                gate.Wait(TimeSpan.FromSeconds(10));
            }
            return 200;
        };
        await using var outbox = new OutboxHarness();
        await outbox.StartAsync();

        // Woken by sid: the dispatcher reads this call from the store from now until it is done.
        await outbox.AddAsync(CallA, 0, receiver.BaseUrl + "/a");
        Assert.True(await firstArrived.WaitAsync(TimeSpan.FromSeconds(10)));
        await HandOverAsync(outbox, Event(CallA, 1, receiver.BaseUrl + "/a"));
        await HandOverAsync(outbox, Event(CallA, 2, receiver.BaseUrl + "/a"));
        gate.Release();
        await outbox.WaitUntilSettledAsync();
        await Task.Delay(200);

        Assert.Equal([0, 1, 2], SequencesOf(receiver.Requests, CallA));
    }
}
