using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Dialtone.Daemon.Storage;

/// <summary>
/// One SQL statement prepared once on the writer's connection and run thousands of times a second,
/// its parameters bound by position straight into SQLite.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite's <c>SqliteCommand</c> looks each named parameter up, boxes each value, and
/// re-walks its statements on every execution: about a third of the writer's time when the calls of
/// a busy node were written through it. Here a text value is encoded into one reused UTF-8 buffer
/// (SQLite copies it at bind time, SQLITE_TRANSIENT) and numbers are bound as they are, so a run
/// allocates nothing. It runs inside the connection's current transaction like any other statement.
/// Parameters are bound by number, from 1: the statements spell them <c>?1</c>, <c>?2</c>… so that the
/// number is plain in the SQL. One thread at a time: the writer's.
/// </remarks>
internal sealed class SqlitePreparedStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[1024];

    private SqlitePreparedStatement(sqlite3 database, sqlite3_stmt statement)
    {
        _database = database;
        _statement = statement;
    }

    /// <summary>Prepares <paramref name="sql"/> (one statement) on <paramref name="connection"/>, which must be open.</summary>
    public static SqlitePreparedStatement Prepare(SqliteConnection connection, string sql)
    {
        var database = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        // PERSISTENT: SQLite allocates it for a long life rather than from its short-lived lookaside.
        var rc = raw.sqlite3_prepare_v3(database, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement);
        SqliteException.ThrowExceptionForRC(rc, database);
        return new SqlitePreparedStatement(database, statement);
    }

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            BindNull(index);
            return;
        }
        var needed = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (needed > _utf8.Length)
            _utf8 = new byte[Math.Max(needed, _utf8.Length * 2)];
        var length = Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, length)));
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value)
    {
        if (value is { } v)
            Bind(index, v);
        else
            BindNull(index);
    }

    public void Bind(int index, DateTimeOffset? time) => Bind(index, time?.ToUnixTimeMilliseconds());

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    /// <summary>Runs the statement to its end; returns the rows it changed. Bindings stay until replaced.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
                SqliteException.ThrowExceptionForRC(rc, _database);
            return raw.sqlite3_changes(_database);
        }
        finally
        {
            // Ready for the next run, and no read lock or statement journal is held meanwhile.
            raw.sqlite3_reset(_statement);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
            SqliteException.ThrowExceptionForRC(rc, _database);
    }

    public void Dispose() => _statement.Dispose();
}
