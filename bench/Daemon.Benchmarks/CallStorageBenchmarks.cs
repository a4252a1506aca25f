using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Storage;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Benchmarks;

/// <summary>
/// The SQLite writes of one call's life, as the writer thread runs them: the record, four state
/// changes each with its status-callback row, and the four delivery results (13 statements), with
/// a commit every <see cref="CallsPerCommit"/> calls (about what group commit gathers at a few
/// hundred calls a second).
/// </summary>
/// <remarks>
/// A real database file in WAL mode with the daemon's schema and pragmas. Each invocation is a new
/// call with a new sid, so the tables and indexes grow as they do in service. The records and
/// callback rows are built before each iteration: only the writes are measured.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(BatchOfCalls))]
public class CallStorageBenchmarks
{
    /// <summary>
    /// In process (see Program.cs), <see cref="Invocations"/> calls per iteration, each measured once:
    /// every invocation must be a new call, prepared by <see cref="BuildCalls"/>.
    /// </summary>
    private sealed class BatchOfCalls : ManualConfig
    {
        public BatchOfCalls() => AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)
            .WithInvocationCount(Invocations).WithUnrollFactor(1));
    }

    private const int Invocations = 4096;
    private const int CallsPerCommit = 32;
    private static readonly CallStatus[] Progress = [CallStatus.Initiated, CallStatus.Ringing, CallStatus.InProgress, CallStatus.Completed];

    private readonly CallLife[] _lives = new CallLife[Invocations];
    private string _directory = "";
    private SqliteDatabase _database = null!;
    private SqliteConnection _connection = null!;
    private SqliteTransaction? _transaction;
    private CallbackComposer _composer = null!;
    private CallRecord _template = null!;
    private int _next;
    private long _clock = 1_800_000_000_000;

    private sealed record CallLife(CallRecord Created, CallRecord[] States, OutboxEvent[] Callbacks, OutboxEvent[] Results);

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("dialtone-bench-").FullName;
        _database = SqliteDatabase.Open(Path.Combine(_directory, "calls.db"));
        _connection = _database.OpenConnection();
        // As the writer's connection is set up (SqliteDatabase.Open).
        SqliteDatabase.Execute(_connection, "PRAGMA synchronous=NORMAL;");
        SqliteDatabase.Execute(_connection, "PRAGMA wal_autocheckpoint=4000;");
        SqliteDatabase.Execute(_connection, "PRAGMA cache_size=-32768;");
        _composer = new CallbackComposer(_ => null);
        _template = BenchCalls.Queued("", "http://127.0.0.1:18092/status");
    }

    [IterationSetup]
    public void BuildCalls()
    {
        for (var n = 0; n < _lives.Length; n++)
        {
            var now = DateTimeOffset.FromUnixTimeMilliseconds(_clock += 2);
            var call = _template with { Sid = Sid.NewCallSid(1, now), CreatedAt = now, UpdatedAt = now };
            var states = new CallRecord[Progress.Length];
            var callbacks = new OutboxEvent[Progress.Length];
            var results = new OutboxEvent[Progress.Length];
            var state = call;
            for (var i = 0; i < Progress.Length; i++)
            {
                state = state with { Status = Progress[i], UpdatedAt = now, NextCallbackSequence = i + 1 };
                states[i] = state;
                callbacks[i] = _composer.Compose(state, CallEventText.RaisedBy(Progress[i]), i, now)!;
                results[i] = callbacks[i] with { State = OutboxState.Delivered, Attempts = 1, LastAttemptAt = now, LastStatusCode = 200, FinishedAt = now };
            }
            _lives[n] = new CallLife(call, states, callbacks, results);
        }
        _next = 0;
    }

    [Benchmark(Description = "one call's 13 writes")]
    public void OneCallsWrites()
    {
        _transaction ??= _connection.BeginTransaction(deferred: false);
        var life = _lives[_next++];
        CallRecordStore.Insert(_connection, _transaction, life.Created);
        for (var i = 0; i < life.States.Length; i++)
        {
            CallRecordStore.UpdateState(_connection, _transaction, life.States[i]);
            CallbackOutboxStore.Insert(_connection, _transaction, life.Callbacks[i]);
        }
        foreach (var result in life.Results)
            CallbackOutboxStore.RecordAttempt(_connection, _transaction, result);
        if (_next % CallsPerCommit == 0)
        {
            _transaction.Commit();
            _transaction.Dispose();
            _transaction = null;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _transaction?.Commit();
        _transaction?.Dispose();
        _connection.Dispose();
        _database.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
