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
        $"INSERT INTO callback_events ({Columns}) VALUES ($call_sid, $seq, $account, $event, $url, $method, $body, $signature, $state, $attempts, $created, $next, NULL, NULL, NULL, NULL);";

    private const string RecordAttemptSql =
        "UPDATE callback_events SET state = $state, attempts = $attempts, next_attempt_at_ms = $next, last_attempt_at_ms = $last, " +
        "last_status_code = $code, last_error = $error, finished_at_ms = $finished WHERE call_sid = $sid AND sequence_number = $seq;";

    private static readonly string[] InsertParameters = ["$call_sid", "$seq", "$account", "$event", "$url", "$method", "$body", "$signature", "$state", "$attempts", "$created", "$next"];
    private static readonly string[] RecordAttemptParameters = ["$state", "$attempts", "$next", "$last", "$code", "$error", "$finished", "$sid", "$seq"];

    public SqliteDatabase Database => database;

    /// <summary>Adds an event inside the caller's transaction (the one that changes the call's state).</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, OutboxEvent item)
    {
        var command = SqliteStatementCache.For(connection).Get(InsertSql, InsertParameters, transaction);
        var p = command.Parameters;
        p[0].Value = item.CallSid;
        p[1].Value = item.SequenceNumber;
        p[2].Value = item.AccountSid;
        p[3].Value = item.EventName;
        p[4].Value = item.Url;
        p[5].Value = CallRecordStore.MethodText(item.Method);
        p[6].Value = item.Body;
        p[7].Value = (object?)item.Signature ?? DBNull.Value;
        p[8].Value = OutboxStateText.Of(item.State);
        p[9].Value = item.Attempts;
        p[10].Value = item.CreatedAt.ToUnixTimeMilliseconds();
        p[11].Value = item.NextAttemptAt.ToUnixTimeMilliseconds();
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
            var command = SqliteStatementCache.For(connection).Get(RecordAttemptSql, RecordAttemptParameters, transaction);
            var p = command.Parameters;
            p[0].Value = OutboxStateText.Of(item.State);
            p[1].Value = item.Attempts;
            p[2].Value = item.NextAttemptAt.ToUnixTimeMilliseconds();
            p[3].Value = item.LastAttemptAt is { } last ? last.ToUnixTimeMilliseconds() : DBNull.Value;
            p[4].Value = (object?)item.LastStatusCode ?? DBNull.Value;
            p[5].Value = (object?)item.LastError ?? DBNull.Value;
            p[6].Value = item.FinishedAt is { } finished ? finished.ToUnixTimeMilliseconds() : DBNull.Value;
            p[7].Value = item.CallSid;
            p[8].Value = item.SequenceNumber;
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
