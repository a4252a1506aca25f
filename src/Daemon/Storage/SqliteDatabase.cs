using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Storage;

/// <summary>
/// The daemon's SQLite database (call records and the callback outbox): opened in WAL mode, migrated
/// at open, written by one writer that commits concurrent writes together (group commit).
/// </summary>
/// <remarks>
/// SQLite allows one writer; serializing writes here, in process, keeps writers from spinning on
/// SQLITE_BUSY, while WAL lets readers (the REST API's GETs, the callback dispatcher) run beside it.
/// The default durability is <see cref="SqliteDurability.Normal"/>: the outbox promises that an event
/// survives a crash or SIGKILL of the daemon and its restart, which WAL with synchronous=NORMAL keeps
/// (a commit is in the WAL file before <see cref="WriteAsync{T}"/> completes) at no fsync per commit;
/// <see cref="SqliteDurability.Full"/> adds survival of a power cut for one fsync per batch.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteGroupCommitWriter _writer;
    private bool _disposed;

    private SqliteDatabase(string path, string connectionString, SqliteGroupCommitWriter writer, SqliteDurability durability)
    {
        Path = path;
        _connectionString = connectionString;
        _writer = writer;
        Durability = durability;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version after migration.</summary>
    public int SchemaVersion { get; private set; }

    public SqliteDurability Durability { get; }

    /// <summary>Writes committed since the database was opened.</summary>
    public long CommittedWrites => _writer.Writes;

    /// <summary>Transactions those writes took (several writes share one when they come together).</summary>
    public long Commits => _writer.Commits;

    /// <summary>Opens (creating if needed) and migrates the database at <paramref name="path"/>.</summary>
    public static SqliteDatabase Open(string path, SqliteDurability durability = SqliteDurability.Normal)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
            Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var writerConnection = new SqliteConnection(connectionString);
        int version;
        try
        {
            writerConnection.Open();
            // WAL is a property of the file: set once, it stays. synchronous is per connection, and
            // only the writer's matters.
            Execute(writerConnection, "PRAGMA journal_mode=WAL;");
            Execute(writerConnection, durability == SqliteDurability.Full ? "PRAGMA synchronous=FULL;" : "PRAGMA synchronous=NORMAL;");
            // A checkpoint copies the WAL's pages into the database file and fsyncs it. Every 4,000
            // pages (16 MB) rather than SQLite's 1,000: the hot pages of a busy minute are written
            // back once instead of several times.
            Execute(writerConnection, "PRAGMA wal_autocheckpoint=4000;");
            // The writer keeps the hot pages (recent calls, the outbox's tail, their indexes) in its
            // own cache, 32 MB rather than SQLite's 2 MB, instead of reading them back through the
            // kernel on every commit.
            Execute(writerConnection, "PRAGMA cache_size=-32768;");
            version = MigrationRunner.Apply(writerConnection);
        }
        catch
        {
            writerConnection.Dispose();
            throw;
        }
        return new SqliteDatabase(path, connectionString, new SqliteGroupCommitWriter(writerConnection), durability)
        {
            SchemaVersion = version,
        };
    }

    /// <summary>An open connection for reading (pooled; dispose it). Writes go through <see cref="WriteAsync{T}"/>.</summary>
    public SqliteConnection OpenConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> inside a write transaction, after the writes queued before it, and
    /// completes once that transaction has committed. <paramref name="work"/> runs on the writer's
    /// thread and may share its transaction with other writes: it must only use the connection and
    /// transaction it is given, and may run twice (after a rollback caused by another write).
    /// A write canceled before it starts does not run.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _writer.Enqueue(work, cancellationToken);
    }

    /// <summary>Runs a read on its own connection (WAL: it sees the last committed state and never blocks the writer).</summary>
    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = OpenConnection();
        return work(connection);
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        // The writes already queued are committed first.
        _writer.Dispose();
        // Close the pooled connections on this file, so the file can be reopened or deleted at once.
        using (var connection = new SqliteConnection(_connectionString))
            SqliteConnection.ClearPool(connection);
    }
}
