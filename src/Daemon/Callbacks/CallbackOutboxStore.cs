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

    public SqliteDatabase Database => database;

    /// <summary>Adds an event inside the caller's transaction (the one that changes the call's state).</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, OutboxEvent item)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT INTO callback_events ({Columns}) VALUES ($call_sid, $seq, $account, $event, $url, $method, $body, $signature, $state, $attempts, $created, $next, NULL, NULL, NULL, NULL);";
        command.Parameters.AddWithValue("$call_sid", item.CallSid);
        command.Parameters.AddWithValue("$seq", item.SequenceNumber);
        command.Parameters.AddWithValue("$account", item.AccountSid);
        command.Parameters.AddWithValue("$event", item.EventName);
        command.Parameters.AddWithValue("$url", item.Url);
        command.Parameters.AddWithValue("$method", CallRecordStore.MethodText(item.Method));
        command.Parameters.AddWithValue("$body", item.Body);
        command.Parameters.AddWithValue("$signature", (object?)item.Signature ?? DBNull.Value);
        command.Parameters.AddWithValue("$state", OutboxStateText.Of(item.State));
        command.Parameters.AddWithValue("$attempts", item.Attempts);
        command.Parameters.AddWithValue("$created", item.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$next", item.NextAttemptAt.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
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
        database.WriteAsync((connection, transaction) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText =
                "UPDATE callback_events SET state = $state, attempts = $attempts, next_attempt_at_ms = $next, last_attempt_at_ms = $last, " +
                "last_status_code = $code, last_error = $error, finished_at_ms = $finished WHERE call_sid = $sid AND sequence_number = $seq;";
            command.Parameters.AddWithValue("$state", OutboxStateText.Of(item.State));
            command.Parameters.AddWithValue("$attempts", item.Attempts);
            command.Parameters.AddWithValue("$next", item.NextAttemptAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$last", item.LastAttemptAt is { } last ? last.ToUnixTimeMilliseconds() : DBNull.Value);
            command.Parameters.AddWithValue("$code", (object?)item.LastStatusCode ?? DBNull.Value);
            command.Parameters.AddWithValue("$error", (object?)item.LastError ?? DBNull.Value);
            command.Parameters.AddWithValue("$finished", item.FinishedAt is { } finished ? finished.ToUnixTimeMilliseconds() : DBNull.Value);
            command.Parameters.AddWithValue("$sid", item.CallSid);
            command.Parameters.AddWithValue("$seq", item.SequenceNumber);
            return command.ExecuteNonQuery();
        }, cancellationToken);

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
