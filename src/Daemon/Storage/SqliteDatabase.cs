using System.Data;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Storage;

/// <summary>
/// The daemon's SQLite database (call records and the callback outbox): opened in WAL mode with
/// full synchronous commits, migrated at open, written through one writer at a time.
/// </summary>
/// <remarks>
/// SQLite allows one writer; serializing writes here, in process, keeps writers from spinning on
/// SQLITE_BUSY, while WAL lets readers (the REST API's GETs) run beside the writer.
/// synchronous=FULL makes a committed row survive a power cut, not just a crash: an outbox event
/// acknowledged as written must be there after any restart.
/// </remarks>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly string _connectionString;
    private bool _disposed;

    private SqliteDatabase(string path, string connectionString)
    {
        Path = path;
        _connectionString = connectionString;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The schema version after migration.</summary>
    public int SchemaVersion { get; private set; }

    /// <summary>Opens (creating if needed) and migrates the database at <paramref name="path"/>.</summary>
    public static SqliteDatabase Open(string path)
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
        var database = new SqliteDatabase(path, connectionString);
        using (var connection = database.OpenConnection())
        {
            // WAL is a property of the file: set once, it stays.
            Execute(connection, "PRAGMA journal_mode=WAL;");
            database.SchemaVersion = MigrationRunner.Apply(connection);
        }
        return database;
    }

    /// <summary>An open connection for one unit of work (pooled; dispose it).</summary>
    public SqliteConnection OpenConnection()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction, after the writers before it.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var connection = OpenConnection();
            // IMMEDIATE: take the write lock up front, so a read-then-write cannot deadlock on upgrade.
            using var transaction = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            _writer.Release();
        }
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
        // Close the pooled connections on this file, so the file can be reopened or deleted at once.
        using (var connection = new SqliteConnection(_connectionString))
            SqliteConnection.ClearPool(connection);
        _writer.Dispose();
    }
}
