using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Operations;
using Dialtone.Daemon.Storage;
using Dialtone.Daemon.Tests.Support;
using Dialtone.Engine.VoiceXml.Fetching;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dialtone.Daemon.Tests.Callbacks;

/// <summary>An outbox over a real SQLite file and a dispatcher with real HTTP through the SSRF guard.</summary>
public sealed class OutboxHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly bool _ownsDirectory;

    public OutboxHarness(TempDirectory? directory = null)
    {
        _ownsDirectory = directory is null;
        _directory = directory ?? new TempDirectory();
        Database = SqliteDatabase.Open(_directory.File("dialtone.db"));
        Store = new CallbackOutboxStore(Database);
        Metrics = new DaemonMetrics(new MetricsRegistry(), TimeProvider.System);
    }

    public SqliteDatabase Database { get; }

    public CallbackOutboxStore Store { get; }

    public DaemonMetrics Metrics { get; }

    public CallbackDispatcher? Dispatcher { get; private set; }

    // Timeouts are generous: a loaded test machine must not turn a slow-but-successful delivery into a
    // retry (which would change the attempt counts the tests assert). The slow-receiver test sets its own.
    public static CallbackDeliveryOptions FastOptions(int workers = 4, int maxAttempts = 1000, TimeSpan? requestTimeout = null) => new()
    {
        Workers = workers,
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(3),
        Retry = new CallbackRetryPolicy
        {
            InitialBackoff = TimeSpan.FromMilliseconds(20),
            MaxBackoff = TimeSpan.FromMilliseconds(100),
            MaxAttempts = maxAttempts,
            MaxAge = TimeSpan.FromMinutes(10),
        },
    };

    public async Task StartAsync(CallbackDeliveryOptions? options = null, OutboundAddressPolicy? policy = null)
    {
        var guard = new OutboundAddressGuard(policy ?? OutboundAddressPolicy.AllowLoopbackOnly);
        var delivery = options ?? FastOptions();
        Dispatcher = new CallbackDispatcher(Store, guard.CreateHandler(delivery.ConnectTimeout, 0), delivery, TimeProvider.System, Metrics,
            NullLogger<CallbackDispatcher>.Instance);
        await Dispatcher.StartAsync(CancellationToken.None);
    }

    /// <summary>Writes an event as the call service does (committed first), then tells the dispatcher if it runs.</summary>
    public async Task AddAsync(string callSid, int sequence, string url, HttpMethodKind method = HttpMethodKind.Post)
    {
        var now = DateTimeOffset.UtcNow;
        var item = new OutboxEvent
        {
            CallSid = callSid,
            SequenceNumber = sequence,
            AccountSid = TestAccounts.FirstSid,
            EventName = "ringing",
            Url = url,
            Method = method,
            Body = FormEncoding.Encode([new("CallSid", callSid), new("SequenceNumber", sequence.ToString())]),
            CreatedAt = now,
            NextAttemptAt = now,
        };
        await Database.WriteAsync((connection, transaction) =>
        {
            CallbackOutboxStore.Insert(connection, transaction, item);
            return 0;
        });
        Dispatcher?.Enqueued(callSid);
    }

    public async Task StopAsync()
    {
        if (Dispatcher is not null)
        {
            await Dispatcher.DisposeAsync();
            Dispatcher = null;
        }
    }

    /// <summary>Waits (bounded) until nothing is pending.</summary>
    public async Task WaitUntilSettledAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Store.CountPending() > 0)
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{Store.CountPending()} events still pending");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Database.Dispose();
        if (_ownsDirectory)
            _directory.Dispose();
    }
}
