using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Operations;

/// <summary>The daemon's own metrics (calls and callbacks), registered in one <see cref="MetricsRegistry"/>.</summary>
public sealed class DaemonMetrics
{
    private readonly MetricFamily<Counter> _callsByResult;
    private readonly MetricFamily<Counter> _callbackFailures;

    public DaemonMetrics(MetricsRegistry registry, TimeProvider time)
    {
        Registry = registry;
        CallAttempts = new RateMeter(time);
        CallsCreated = registry.Counter("dialtone_calls_created_total", "Calls accepted by the REST API.");
        CallsInitiated = registry.Counter("dialtone_calls_initiated_total", "Calls whose INVITE left (attempts).");
        _callsByResult = registry.CounterFamily("dialtone_calls_total", "Calls ended, by final result.", "result");
        ActiveCalls = registry.Gauge("dialtone_calls_active", "Calls initiated, ringing or in progress.");
        QueuedCalls = registry.Gauge("dialtone_calls_queued", "Calls accepted and waiting to be dialed.");
        registry.ObservedGauge("dialtone_calls_per_second", "Calls initiated in the last whole second.", () => CallAttempts.PerSecond);
        CallbackQueueDepth = registry.Gauge("dialtone_callbacks_pending", "Status callbacks written and not yet delivered or given up.");
        CallbacksDelivered = registry.Counter("dialtone_callbacks_delivered_total", "Status callbacks the receiver accepted (2xx).");
        CallbackAttempts = registry.Counter("dialtone_callback_attempts_total", "HTTP requests made to deliver status callbacks.");
        _callbackFailures = registry.CounterFamily("dialtone_callback_failures_total",
            "Status callback failures: retry (an attempt failed, will retry), rejected (4xx, not retried), given_up (policy ran out).", "kind");
        ApiRejections = registry.CounterFamily("dialtone_api_errors_total", "REST API requests refused, by error code.", "code");
        // The managed heap beside RSS: RSS minus the heap is native memory (sockets, SQLite, speech);
        // the heap after the last collection is what calls actually hold, the rest is garbage not yet collected.
        registry.ObservedGauge("dialtone_gc_heap_bytes", "Managed heap size after the last garbage collection.", () => GC.GetGCMemoryInfo().HeapSizeBytes);
        registry.ObservedGauge("dialtone_gc_committed_bytes", "Memory the garbage collector has committed.", () => GC.GetGCMemoryInfo().TotalCommittedBytes);
        registry.ObservedCounter("dialtone_gc_allocated_bytes_total", "Bytes allocated on the managed heap since start.", () => GC.GetTotalAllocatedBytes());
        registry.ObservedCounter("dialtone_gc_collections_total", "Garbage collections since start (all generations).", () => GC.CollectionCount(0));
    }

    public MetricsRegistry Registry { get; }

    public RateMeter CallAttempts { get; }

    public Counter CallsCreated { get; }

    public Counter CallsInitiated { get; }

    public Gauge ActiveCalls { get; }

    public Gauge QueuedCalls { get; }

    public Gauge CallbackQueueDepth { get; }

    public Counter CallbacksDelivered { get; }

    public Counter CallbackAttempts { get; }

    public MetricFamily<Counter> ApiRejections { get; }

    public void CallEnded(CallStatus result) => _callsByResult.WithLabels(CallStatusText.Of(result)).Increment();

    public void CallbackFailed(string kind) => _callbackFailures.WithLabels(kind).Increment();
}
