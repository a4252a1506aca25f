using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Storage;

/// <summary>
/// Statements kept per connection, so each is parsed and prepared once: the writer's connection
/// lives as long as the database, and the same few statements (insert a call, change its state, add
/// a callback, record an attempt) run thousands of times a second.
/// </summary>
/// <remarks>
/// Only for the connection of one thread at a time (the writer's). <see cref="Release"/> finalizes
/// them; it must run before the connection closes.
/// </remarks>
internal sealed class SqliteStatementCache
{
    private static readonly ConditionalWeakTable<SqliteConnection, SqliteStatementCache> Caches = new();

    private readonly Dictionary<string, SqlitePreparedStatement> _statements = new(StringComparer.Ordinal);
    private readonly SqliteConnection _connection;

    private SqliteStatementCache(SqliteConnection connection) => _connection = connection;

    /// <summary>The prepared statement for <paramref name="sql"/> on <paramref name="connection"/>.</summary>
    public static SqlitePreparedStatement Get(SqliteConnection connection, string sql) =>
        Caches.GetValue(connection, static c => new SqliteStatementCache(c)).Get(sql);

    /// <summary>Finalizes the statements prepared on <paramref name="connection"/>.</summary>
    public static void Release(SqliteConnection connection)
    {
        if (!Caches.TryGetValue(connection, out var cache))
            return;
        Caches.Remove(connection);
        foreach (var statement in cache._statements.Values)
            statement.Dispose();
        cache._statements.Clear();
    }

    private SqlitePreparedStatement Get(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = SqlitePreparedStatement.Prepare(_connection, sql);
            _statements[sql] = statement;
        }
        return statement;
    }
}
