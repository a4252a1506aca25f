using System.Diagnostics;
using System.Globalization;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Storage;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Callbacks;

/// <summary>The <c>callback_events</c> table: status callbacks written before their first attempt.</summary>
public sealed class CallbackOutboxStore(SqliteDatabase database)
{
    private const string Columns =
        "call_sid, sequence_number, account_sid, event_name, url, method, body, signature, state, attempts, " +
        "created_at_ms, next_attempt_at_ms, last_attempt_at_ms, last_status_code, last_error, finished_at_ms";

    private const string InsertSql =
        $"INSERT INTO callback_events ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, NULL, NULL, NULL, NULL);";

    private const string RecordAttemptSql =
        "UPDATE callback_events SET state = ?1, attempts = ?2, next_attempt_at_ms = ?3, last_attempt_at_ms = ?4, " +
        "last_status_code = ?5, last_error = ?6, finished_at_ms = ?7 WHERE call_sid = ?8 AND sequence_number = ?9;";

    public SqliteDatabase Database => database;

    /// <summary>The statements each status callback runs on the writer (tests check their query plans).</summary>
    internal static IReadOnlyList<string> WriteStatements => [InsertSql, RecordAttemptSql];

    /// <summary>Adds an event inside the caller's transaction (the one that changes the call's state).</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, OutboxEvent item)
    {
        Debug.Assert(transaction.Connection == connection);
        var s = SqliteStatementCache.Get(connection, InsertSql);
        s.Bind(1, item.CallSid);
        s.Bind(2, item.SequenceNumber);
        s.Bind(3, item.AccountSid);
        s.Bind(4, item.EventName);
        s.Bind(5, item.Url);
        s.Bind(6, CallRecordStore.MethodText(item.Method));
        s.Bind(7, item.Body);
        s.Bind(8, item.Signature);
        s.Bind(9, OutboxStateText.Of(item.State));
        s.Bind(10, item.Attempts);
        s.Bind(11, item.CreatedAt.ToUnixTimeMilliseconds());
        s.Bind(12, item.NextAttemptAt.ToUnixTimeMilliseconds());
        s.Execute();
    }

    /// <summary>The call's earliest event still pending: the only one that may be attempted now.</summary>
    public OutboxEvent? NextPending(string callSid) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM callback_events WHERE call_sid = $sid AND state = 'pending' ORDER BY sequence_number LIMIT 1;";
        command.Parameters.AddWithValue("$sid", callSid);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEvent(reader) : null;
    });

    /// <summary>Every call with an event pending, the one waiting longest first (what a restart resumes).</summary>
    public IReadOnlyList<string> CallsWithPending() => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT call_sid FROM callback_events WHERE state = 'pending' GROUP BY call_sid ORDER BY MIN(created_at_ms);";
        var sids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            sids.Add(reader.GetString(0));
        return (IReadOnlyList<string>)sids;
    });

    /// <summary>Events still pending, all calls.</summary>
    public int CountPending() => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM callback_events WHERE state = 'pending';";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    });

    /// <summary>A call's events in sequence order (inspection and tests).</summary>
    public IReadOnlyList<OutboxEvent> ListForCall(string callSid) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM callback_events WHERE call_sid = $sid ORDER BY sequence_number;";
        command.Parameters.AddWithValue("$sid", callSid);
        var list = new List<OutboxEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            list.Add(ReadEvent(reader));
        return (IReadOnlyList<OutboxEvent>)list;
    });

    /// <summary>Records an attempt's result: delivered, rejected or given up (final), or pending with its next attempt time.</summary>
    public Task RecordAttemptAsync(OutboxEvent item, CancellationToken cancellationToken = default) =>
        database.WriteAsync((connection, transaction) => RecordAttempt(connection, transaction, item), cancellationToken);

    /// <summary>Writes an attempt's result inside the caller's transaction; returns the rows changed (1, or 0 for an unknown event).</summary>
    public static int RecordAttempt(SqliteConnection connection, SqliteTransaction transaction, OutboxEvent item)
    {
        Debug.Assert(transaction.Connection == connection);
        var s = SqliteStatementCache.Get(connection, RecordAttemptSql);
        s.Bind(1, OutboxStateText.Of(item.State));
        s.Bind(2, item.Attempts);
        s.Bind(3, item.NextAttemptAt.ToUnixTimeMilliseconds());
        s.Bind(4, item.LastAttemptAt);
        s.Bind(5, item.LastStatusCode);
        s.Bind(6, item.LastError);
        s.Bind(7, item.FinishedAt);
        s.Bind(8, item.CallSid);
        s.Bind(9, item.SequenceNumber);
        return s.Execute();
    }

    private static OutboxEvent ReadEvent(SqliteDataReader r)
    {
        DateTimeOffset? Time(int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        return new OutboxEvent
        {
            CallSid = r.GetString(0),
            SequenceNumber = r.GetInt32(1),
            AccountSid = r.GetString(2),
            EventName = r.GetString(3),
            Url = r.GetString(4),
            Method = CallRecordStore.ParseMethod(r.GetString(5)),
            Body = r.GetString(6),
            Signature = r.IsDBNull(7) ? null : r.GetString(7),
            State = OutboxStateText.Parse(r.GetString(8)),
            Attempts = r.GetInt32(9),
            CreatedAt = Time(10)!.Value,
            NextAttemptAt = Time(11)!.Value,
            LastAttemptAt = Time(12),
            LastStatusCode = r.IsDBNull(13) ? null : r.GetInt32(13),
            LastError = r.IsDBNull(14) ? null : r.GetString(14),
            FinishedAt = Time(15),
        };
    }
}
