using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Storage;

/// <summary>
/// Commands kept per connection, so each statement is parsed and prepared once and its parameters
/// made once: the writer's connection lives as long as the database, and the same few statements
/// (insert a call, change its state, add a callback, record an attempt) run thousands of times a second.
/// </summary>
/// <remarks>
/// Only for the connection of one thread at a time (the writer's). A cached command's parameters are
/// given new values on each use; Microsoft.Data.Sqlite keeps its prepared statement while the command
/// text stays the same, and disposes it when the connection closes.
/// </remarks>
internal sealed class SqliteStatementCache
{
    private static readonly ConditionalWeakTable<SqliteConnection, SqliteStatementCache> Caches = new();

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly SqliteConnection _connection;

    private SqliteStatementCache(SqliteConnection connection) => _connection = connection;

    public static SqliteStatementCache For(SqliteConnection connection) =>
        Caches.GetValue(connection, static c => new SqliteStatementCache(c));

    /// <summary>The command for <paramref name="sql"/> in <paramref name="transaction"/>, its parameters named <paramref name="parameterNames"/> in that order.</summary>
    public SqliteCommand Get(string sql, string[] parameterNames, SqliteTransaction? transaction)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameterNames)
                command.Parameters.Add(new SqliteParameter(name, null));
            _commands[sql] = command;
        }
        command.Transaction = transaction;
        return command;
    }
}
