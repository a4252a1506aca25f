using BenchmarkDotNet.Attributes;
using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Benchmarks;

/// <summary>
/// Building one status callback (its fields, the form body, the outbox row): four or more times per
/// call, on the state change's path.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class CallbackComposeBenchmarks
{
    private readonly CallbackComposer _composer = new(_ => "0123456789abcdef0123456789abcdef");
    private CallRecord _completed = null!;
    private CallRecord _completedTwilio = null!;
    private DateTimeOffset _now;

    [GlobalSetup]
    public void Setup()
    {
        _now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);
        _completed = BenchCalls.Queued(Sid.NewCallSid(1, _now), "https://hooks.example.com/status?customer=42", optional: "campaign=fall&batch=7") with
        {
            Status = CallStatus.Completed,
            Result = CallStatus.Completed,
            CreatedAt = _now,
            UpdatedAt = _now,
            StartedAt = _now,
            AnsweredAt = _now,
            EndedAt = _now.AddSeconds(42),
            SipResponseCode = 200,
            DurationSeconds = 42,
        };
        _completedTwilio = _completed with { Request = _completed.Request with { Dialect = CallbackDialect.Twilio } };
    }

    [Benchmark(Description = "completed callback, seed dialect")]
    public OutboxEvent? Seed() => _composer.Compose(_completed, CallEvent.Completed, 3, _now);

    [Benchmark(Description = "completed callback, Twilio dialect (signed)")]
    public OutboxEvent? Twilio() => _composer.Compose(_completedTwilio, CallEvent.Completed, 3, _now);
}
