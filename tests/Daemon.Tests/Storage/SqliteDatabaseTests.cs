using Dialtone.Daemon.Storage;
using Dialtone.Daemon.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Tests.Storage;

public sealed class SqliteDatabaseTests
{
    private static SqliteDatabase OpenWithTable(TempDirectory dir, SqliteDurability durability = SqliteDurability.Normal)
    {
        var database = SqliteDatabase.Open(dir.File("d.db"), durability);
        database.WriteAsync((c, tx) =>
        {
            SqliteDatabase.Execute(c, "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL);", tx);
            return 0;
        }).GetAwaiter().GetResult();
        return database;
    }

    private static Task<int> InsertAsync(SqliteDatabase database, int id, CancellationToken cancellationToken = default) =>
        database.WriteAsync((c, tx) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "INSERT INTO items (id, name) VALUES ($id, 'x');";
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery();
        }, cancellationToken);

    private static long Count(SqliteDatabase database) => database.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM items;";
        return (long)command.ExecuteScalar()!;
    });

    /// <summary>Holds the writer inside a write until released, so that the writes queued meanwhile form one batch.</summary>
    private static (Task Held, ManualResetEventSlim Release) HoldWriter(SqliteDatabase database)
    {
        var release = new ManualResetEventSlim(false);
        var entered = new ManualResetEventSlim(false);
        var held = database.WriteAsync((_, _) =>
        {
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(10));
            return 0;
        });
        Assert.True(entered.Wait(TimeSpan.FromSeconds(10)));
        return (held, release);
    }

    [Fact]
    public async Task Writes_that_come_together_commit_in_one_transaction()
    {
        using var dir = new TempDirectory();
        using var database = OpenWithTable(dir);
        var commitsBefore = database.Commits;

        var (held, release) = HoldWriter(database);
        var writes = Enumerable.Range(1, 50).Select(i => InsertAsync(database, i)).ToArray();
        release.Set();
        await held;
        var results = await Task.WhenAll(writes);

        Assert.All(results, r => Assert.Equal(1, r));
        Assert.Equal(50, Count(database));
        Assert.Equal(2, database.Commits - commitsBefore);
    }

    [Fact]
    public async Task A_failing_write_fails_alone_and_the_others_of_its_batch_commit()
    {
        using var dir = new TempDirectory();
        using var database = OpenWithTable(dir);

        var (held, release) = HoldWriter(database);
        var first = InsertAsync(database, 1);
        var duplicate = InsertAsync(database, 1);
        var third = InsertAsync(database, 3);
        var throwing = database.WriteAsync<int>((_, _) => throw new InvalidOperationException("broken write"));
        release.Set();
        await held;

        Assert.Equal(1, await first);
        Assert.Equal(1, await third);
        var constraint = await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(19, constraint.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal("broken write", (await Assert.ThrowsAsync<InvalidOperationException>(() => throwing)).Message);
        Assert.Equal(2, Count(database));
    }

    [Fact]
    public async Task A_write_completes_on_a_pool_thread_never_on_the_writers()
    {
        using var dir = new TempDirectory();
        using var database = OpenWithTable(dir);
        var writerThread = await database.WriteAsync((_, _) => Environment.CurrentManagedThreadId);

        var (held, release) = HoldWriter(database);
        var batch = Enumerable.Range(1, 20).Select(async i =>
        {
            await InsertAsync(database, i).ConfigureAwait(false);
            // A continuation on the writer's thread would hold up every write after it.
            return (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread);
        }).ToArray();
        release.Set();
        await held;
        var continuedOn = await Task.WhenAll(batch);

        Assert.All(continuedOn, c => Assert.NotEqual(writerThread, c.CurrentManagedThreadId));
        Assert.All(continuedOn, c => Assert.True(c.IsThreadPoolThread));
        Assert.Equal(20, Count(database));
    }

    [Fact]
    public async Task A_write_canceled_before_it_runs_never_runs()
    {
        using var dir = new TempDirectory();
        using var database = OpenWithTable(dir);
        var ran = false;

        var (held, release) = HoldWriter(database);
        using var cancel = new CancellationTokenSource();
        var canceled = database.WriteAsync((_, _) =>
        {
            ran = true;
            return 0;
        }, cancel.Token);
        var after = InsertAsync(database, 7);
        await cancel.CancelAsync();
        release.Set();
        await held;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);
        Assert.Equal(1, await after);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_write_already_canceled_is_refused_at_once()
    {
        using var dir = new TempDirectory();
        using var database = OpenWithTable(dir);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => InsertAsync(database, 1, new CancellationToken(canceled: true)));
        Assert.Equal(0, Count(database));
    }

    [Fact]
    public async Task Writes_queued_before_dispose_are_committed_and_later_ones_refused()
    {
        using var dir = new TempDirectory();
        var database = OpenWithTable(dir);
        var (held, release) = HoldWriter(database);
        var queued = Enumerable.Range(1, 20).Select(i => InsertAsync(database, i)).ToArray();

        release.Set();
        database.Dispose();

        await held;
        Assert.All(await Task.WhenAll(queued), r => Assert.Equal(1, r));
        Assert.Throws<ObjectDisposedException>(() => { _ = InsertAsync(database, 99); });
        using var reopened = SqliteDatabase.Open(dir.File("d.db"));
        Assert.Equal(20, Count(reopened));
    }

    [Theory]
    [InlineData(SqliteDurability.Normal, 1L)]
    [InlineData(SqliteDurability.Full, 2L)]
    public async Task The_writer_runs_with_the_durability_asked_for(SqliteDurability durability, long synchronous)
    {
        using var dir = new TempDirectory();
        using var database = OpenWithTable(dir, durability);

        var seen = await database.WriteAsync((c, tx) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = tx;
            command.CommandText = "PRAGMA synchronous;";
            return (long)command.ExecuteScalar()!;
        });

        Assert.Equal(synchronous, seen);
        Assert.Equal(durability, database.Durability);
    }

    [Fact]
    public async Task Many_concurrent_writers_all_commit_each_in_the_order_of_its_own_writes()
    {
        using var dir = new TempDirectory();
        using var database = OpenWithTable(dir);
        await database.WriteAsync((c, tx) =>
        {
            // seq is the rowid: SQLite gives each new row the next one, so it is the commit order.
            SqliteDatabase.Execute(c, "CREATE TABLE log (seq INTEGER NOT NULL PRIMARY KEY, writer INTEGER NOT NULL, n INTEGER NOT NULL);", tx);
            return 0;
        });

        var writers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                var n = i;
                await database.WriteAsync((c, tx) =>
                {
                    using var command = c.CreateCommand();
                    command.Transaction = tx;
                    command.CommandText = "INSERT INTO log (writer, n) VALUES ($w, $n);";
                    command.Parameters.AddWithValue("$w", w);
                    command.Parameters.AddWithValue("$n", n);
                    return command.ExecuteNonQuery();
                });
            }
        })).ToArray();
        await Task.WhenAll(writers);

        var rows = database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT writer, n FROM log ORDER BY seq;";
            using var reader = command.ExecuteReader();
            var list = new List<(long Writer, long N)>();
            while (reader.Read())
                list.Add((reader.GetInt64(0), reader.GetInt64(1)));
            return list;
        });
        Assert.Equal(800, rows.Count);
        foreach (var writer in rows.GroupBy(r => r.Writer))
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), writer.Select(r => r.N));
        Assert.True(database.Commits <= database.CommittedWrites);
    }
}
