using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Storage;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Storage;

public sealed class CallStateStorageTests
{
    private static CallRecord NewCall(int node, CallStatus status, DateTimeOffset created) => new()
    {
        Sid = Sid.NewCallSid(node),
        AccountSid = TestAccounts.FirstSid,
        NodeId = node,
        Direction = CallDirection.OutboundApi,
        Request = new CallRequest { From = "+15550100", To = "+15550111", Url = "https://a/app.xml", StatusCallback = "https://h/cb" },
        Status = status,
        CreatedAt = created,
        UpdatedAt = created,
    };

    private static Task WriteAsync(SqliteDatabase database, Action<Microsoft.Data.Sqlite.SqliteConnection, Microsoft.Data.Sqlite.SqliteTransaction> work) =>
        database.WriteAsync((c, tx) =>
        {
            work(c, tx);
            return 0;
        });

    [Fact]
    public async Task A_state_change_writes_the_state_and_leaves_the_request_as_stored()
    {
        using var dir = new TempDirectory();
        using var database = SqliteDatabase.Open(dir.File("d.db"));
        var store = new CallRecordStore(database);
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var call = NewCall(1, CallStatus.Queued, t);
        await WriteAsync(database, (c, tx) => CallRecordStore.Insert(c, tx, call));

        var ended = call with
        {
            Status = CallStatus.Completed,
            UpdatedAt = t.AddSeconds(9),
            StartedAt = t.AddSeconds(1),
            AnsweredAt = t.AddSeconds(2),
            EndedAt = t.AddSeconds(9),
            SipResponseCode = 200,
            Result = CallStatus.Completed,
            DurationSeconds = 7,
            RecordingPath = "/r/x.wav",
            RecordingUrl = "https://v/r/x.wav",
            ErrorCode = "12100",
            ErrorMessage = "bad document",
            NextCallbackSequence = 4,
            // Not a state column: a state change must not write it.
            Request = call.Request with { Url = "https://elsewhere/other.xml" },
        };
        await WriteAsync(database, (c, tx) => CallRecordStore.UpdateState(c, tx, ended));

        Assert.Equal(ended with { Request = call.Request }, store.Get(call.Sid));
    }

    [Fact]
    public async Task A_state_change_of_a_call_not_stored_is_an_error()
    {
        using var dir = new TempDirectory();
        using var database = SqliteDatabase.Open(dir.File("d.db"));
        var call = NewCall(1, CallStatus.Ringing, DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<InvalidOperationException>(() => WriteAsync(database, (c, tx) => CallRecordStore.UpdateState(c, tx, call)));
    }

    [Fact]
    public async Task Unfinished_calls_are_found_through_the_index_of_calls_in_play()
    {
        using var dir = new TempDirectory();
        using var database = SqliteDatabase.Open(dir.File("d.db"));
        var store = new CallRecordStore(database);
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var calls = new[]
        {
            NewCall(1, CallStatus.Queued, t),
            NewCall(1, CallStatus.Queued, t.AddMilliseconds(1)),
            NewCall(1, CallStatus.Queued, t.AddMilliseconds(2)),
            NewCall(2, CallStatus.Queued, t.AddMilliseconds(3)),
        };
        foreach (var call in calls)
            await WriteAsync(database, (c, tx) => CallRecordStore.Insert(c, tx, call));
        await WriteAsync(database, (c, tx) => CallRecordStore.UpdateState(c, tx, calls[1] with { Status = CallStatus.Ringing }));
        await WriteAsync(database, (c, tx) => CallRecordStore.UpdateState(c, tx, calls[2] with { Status = CallStatus.Completed, Result = CallStatus.Completed }));

        var unfinished = store.ListUnfinished(1);

        Assert.Equal([calls[0].Sid, calls[1].Sid], unfinished.Select(c => c.Sid));
        var plan = database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = $"EXPLAIN QUERY PLAN SELECT sid FROM calls WHERE node_id = 1 AND ended_at_ms IS NULL AND {CallRecordStore.UnfinishedStatus} ORDER BY created_at_ms, sid;";
            using var reader = command.ExecuteReader();
            var details = new List<string>();
            while (reader.Read())
                details.Add(reader.GetString(3));
            return string.Join(" | ", details);
        });
        Assert.Contains("ix_calls_unfinished", plan);
    }

    [Fact]
    public void The_writes_of_a_calls_life_build_no_temporary_btree()
    {
        // An IN list of more than two values in a statement (or in a partial index's predicate that an
        // UPDATE must evaluate) makes SQLite build a temporary b-tree, with its own page cache, on every
        // run: that once cost half the writer's time (migration 003).
        using var dir = new TempDirectory();
        using var database = SqliteDatabase.Open(dir.File("d.db"));
        var statements = CallRecordStore.WriteStatements.Concat(Dialtone.Daemon.Callbacks.CallbackOutboxStore.WriteStatements).ToList();

        foreach (var sql in statements)
        {
            var opcodes = database.Read(c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = "EXPLAIN " + sql;
                using var reader = command.ExecuteReader();
                var names = new List<string>();
                while (reader.Read())
                    names.Add(reader.GetString(1));
                return names;
            });
            Assert.Contains("OpenWrite", opcodes);
            Assert.DoesNotContain("OpenEphemeral", opcodes);
        }
    }

    [Fact]
    public async Task A_call_stored_twice_fails_alone_and_the_statement_serves_the_next_call()
    {
        using var dir = new TempDirectory();
        using var database = SqliteDatabase.Open(dir.File("d.db"));
        var store = new CallRecordStore(database);
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var first = NewCall(1, CallStatus.Queued, t);
        var second = NewCall(1, CallStatus.Queued, t.AddMilliseconds(1));
        await WriteAsync(database, (c, tx) => CallRecordStore.Insert(c, tx, first));

        var again = WriteAsync(database, (c, tx) => CallRecordStore.Insert(c, tx, first));
        var next = WriteAsync(database, (c, tx) => CallRecordStore.Insert(c, tx, second));

        var error = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => again);
        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT: the sid is the primary key
        await next;
        Assert.Equal(first.Request.To, store.Get(first.Sid)!.Request.To);
        Assert.Equal(CallStatus.Queued, store.Get(second.Sid)!.Status);
    }
}
