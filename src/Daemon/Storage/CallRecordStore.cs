using System.Diagnostics;
using System.Globalization;
using System.Text;
using Dialtone.Daemon.Calls;
using Microsoft.Data.Sqlite;

namespace Dialtone.Daemon.Storage;

/// <summary>Call detail records: one row per call or leg in <c>calls</c>.</summary>
public sealed class CallRecordStore(SqliteDatabase database)
{
    private const string Columns =
        "sid, parent_sid, account_sid, node_id, direction, dialect, status, from_address, to_address, caller_id, " +
        "app_url, app_method, fallback_url, fallback_method, twiml, send_digits, timeout_seconds, time_limit_seconds, " +
        "record_call, status_callback, status_callback_method, status_callback_events, callback_secret, callback_optional, " +
        "created_at_ms, updated_at_ms, started_at_ms, answered_at_ms, ended_at_ms, sip_response_code, call_result, " +
        "duration_seconds, recording_path, recording_url, error_code, error_message, next_callback_sequence";

    /// <summary>The columns a state change writes (DESIGN.md §1 states): the request and identity stay as inserted.</summary>
    private const string StateColumns =
        "status, updated_at_ms, started_at_ms, answered_at_ms, ended_at_ms, sip_response_code, call_result, " +
        "duration_seconds, recording_path, recording_url, error_code, error_message, next_callback_sequence";

    /// <summary>
    /// The states of a call not over yet. Only for reads: the hot UPDATEs must not evaluate an IN list
    /// (see migration 003), so the partial index of unfinished calls is on <c>ended_at_ms IS NULL</c>.
    /// </summary>
    internal const string UnfinishedStatus = "status IN ('queued', 'initiated', 'ringing', 'in-progress')";

    // Parameters are numbered (?N) in Columns order, sid first, so that BindAll and BindState bind
    // by position whatever the statement's text order.
    private static readonly string InsertSql = $"INSERT INTO calls ({Columns}) VALUES ({string.Join(", ", Columns.Split(", ").Select((_, i) => $"?{i + 1}"))});";
    private static readonly string UpdateSql = BuildUpdate(Columns.Split(", ")[1..]);
    private static readonly string UpdateStateSql = BuildUpdate(StateColumns.Split(", "));

    public SqliteDatabase Database => database;

    /// <summary>The statements a call's life runs on the writer (tests check their query plans).</summary>
    internal static IReadOnlyList<string> WriteStatements => [InsertSql, UpdateSql, UpdateStateSql];

    /// <summary>Adds a new call inside the caller's transaction.</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, CallRecord call)
    {
        Debug.Assert(transaction.Connection == connection);
        var statement = SqliteStatementCache.Get(connection, InsertSql);
        BindAll(statement, call);
        statement.Execute();
    }

    /// <summary>Rewrites a call's row inside the caller's transaction (every column: a redirect changes the request).</summary>
    public static void Update(SqliteConnection connection, SqliteTransaction transaction, CallRecord call)
    {
        Debug.Assert(transaction.Connection == connection);
        var statement = SqliteStatementCache.Get(connection, UpdateSql);
        BindAll(statement, call);
        if (statement.Execute() != 1)
            throw new InvalidOperationException($"call {call.Sid} is not stored");
    }

    /// <summary>
    /// Writes a state change inside the caller's transaction: status, times, SIP code, result, error,
    /// recording and the callback sequence (the columns <see cref="CallService"/>'s transitions change).
    /// </summary>
    public static void UpdateState(SqliteConnection connection, SqliteTransaction transaction, CallRecord call)
    {
        Debug.Assert(transaction.Connection == connection);
        var statement = SqliteStatementCache.Get(connection, UpdateStateSql);
        statement.Bind(1, call.Sid);
        BindState(statement, 2, call, includeStatus: true);
        if (statement.Execute() != 1)
            throw new InvalidOperationException($"call {call.Sid} is not stored");
    }

    /// <summary>Reads a call inside the caller's transaction.</summary>
    public static CallRecord? Get(SqliteConnection connection, SqliteTransaction? transaction, string sid)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM calls WHERE sid = $sid;";
        command.Parameters.AddWithValue("$sid", sid);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadCall(reader) : null;
    }

    public CallRecord? Get(string sid) => database.Read(connection => Get(connection, null, sid));

    /// <summary>One page of an account's calls, newest first.</summary>
    public CallPage List(CallQuery query) => database.Read(connection =>
    {
        var where = new StringBuilder("account_sid = $account");
        using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$account", query.AccountSid);
        if (query.Status is { } status)
        {
            where.Append(" AND status = $status");
            command.Parameters.AddWithValue("$status", CallStatusText.Of(status));
        }
        if (query.To is not null)
        {
            where.Append(" AND to_address = $to");
            command.Parameters.AddWithValue("$to", query.To);
        }
        if (query.From is not null)
        {
            where.Append(" AND from_address = $from");
            command.Parameters.AddWithValue("$from", query.From);
        }
        if (query.ParentSid is not null)
        {
            where.Append(" AND parent_sid = $parent");
            command.Parameters.AddWithValue("$parent", query.ParentSid);
        }

        command.CommandText = $"SELECT COUNT(*) FROM calls WHERE {where};";
        var total = Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);

        // sid breaks ties between calls created in the same millisecond, so pages never overlap.
        command.CommandText = $"SELECT {Columns} FROM calls WHERE {where} ORDER BY created_at_ms DESC, sid DESC LIMIT $limit OFFSET $offset;";
        command.Parameters.AddWithValue("$limit", query.PageSize);
        command.Parameters.AddWithValue("$offset", (long)query.Page * query.PageSize);
        var calls = new List<CallRecord>(Math.Min(query.PageSize, 64));
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                calls.Add(ReadCall(reader));
        }
        return new CallPage(calls, total);
    });

    /// <summary>This node's calls that were not over when it last stopped (oldest first).</summary>
    public IReadOnlyList<CallRecord> ListUnfinished(int nodeId) => database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT {Columns} FROM calls WHERE node_id = $node AND ended_at_ms IS NULL AND {UnfinishedStatus} ORDER BY created_at_ms, sid;";
        command.Parameters.AddWithValue("$node", nodeId);
        var calls = new List<CallRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            calls.Add(ReadCall(reader));
        return (IReadOnlyList<CallRecord>)calls;
    });

    /// <summary>An UPDATE of <paramref name="columns"/> (parameters ?2, ?3… in that order) of the call whose sid is ?1.</summary>
    private static string BuildUpdate(string[] columns) =>
        $"UPDATE calls SET {string.Join(", ", columns.Select((name, i) => $"{name} = ?{i + 2}"))} WHERE sid = ?1;";

    /// <summary>Binds every column, in <see cref="Columns"/> order (parameters are numbered from 1).</summary>
    private static void BindAll(SqlitePreparedStatement s, CallRecord call)
    {
        var request = call.Request;
        s.Bind(1, call.Sid);
        s.Bind(2, call.ParentSid);
        s.Bind(3, call.AccountSid);
        s.Bind(4, call.NodeId);
        s.Bind(5, CallDirectionText.Of(call.Direction));
        s.Bind(6, request.Dialect == CallbackDialect.Twilio ? "twilio" : "seed");
        s.Bind(7, CallStatusText.Of(call.Status));
        s.Bind(8, request.From);
        s.Bind(9, request.To);
        s.Bind(10, request.CallerId);
        s.Bind(11, request.Url);
        s.Bind(12, MethodText(request.Method));
        s.Bind(13, request.FallbackUrl);
        s.Bind(14, MethodText(request.FallbackMethod));
        s.Bind(15, request.Twiml);
        s.Bind(16, request.SendDigits);
        s.Bind(17, request.TimeoutSeconds);
        s.Bind(18, request.TimeLimitSeconds);
        s.Bind(19, request.Record ? 1 : 0);
        s.Bind(20, request.StatusCallback);
        s.Bind(21, MethodText(request.StatusCallbackMethod));
        s.Bind(22, CallEventText.Format(request.StatusCallbackEvents));
        s.Bind(23, request.SecretKey);
        s.Bind(24, request.Optional);
        s.Bind(25, call.CreatedAt.ToUnixTimeMilliseconds());
        // From updated_at_ms on, Columns lists the state columns in StateColumns order (status is at 7).
        BindState(s, 26, call, includeStatus: false);
    }

    /// <summary>Binds the <see cref="StateColumns"/> (without status unless <paramref name="includeStatus"/>) from parameter <paramref name="first"/> on.</summary>
    private static void BindState(SqlitePreparedStatement s, int first, CallRecord call, bool includeStatus)
    {
        var i = first;
        if (includeStatus)
            s.Bind(i++, CallStatusText.Of(call.Status));
        s.Bind(i++, call.UpdatedAt.ToUnixTimeMilliseconds());
        s.Bind(i++, call.StartedAt);
        s.Bind(i++, call.AnsweredAt);
        s.Bind(i++, call.EndedAt);
        s.Bind(i++, call.SipResponseCode);
        s.Bind(i++, call.Result is { } result ? CallStatusText.Of(result) : null);
        s.Bind(i++, call.DurationSeconds);
        s.Bind(i++, call.RecordingPath);
        s.Bind(i++, call.RecordingUrl);
        s.Bind(i++, call.ErrorCode);
        s.Bind(i++, call.ErrorMessage);
        s.Bind(i, call.NextCallbackSequence);
    }

    private static CallRecord ReadCall(SqliteDataReader r)
    {
        string? Text(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        int? Int(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetInt32(r.GetOrdinal(column));
        DateTimeOffset? Time(string column) =>
            r.IsDBNull(r.GetOrdinal(column)) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(r.GetOrdinal(column)));

        var request = new CallRequest
        {
            From = Text("from_address")!,
            To = Text("to_address")!,
            CallerId = Text("caller_id"),
            Url = Text("app_url"),
            Method = ParseMethod(Text("app_method")),
            FallbackUrl = Text("fallback_url"),
            FallbackMethod = ParseMethod(Text("fallback_method")),
            Twiml = Text("twiml"),
            SendDigits = Text("send_digits"),
            TimeoutSeconds = Int("timeout_seconds") ?? CallRequest.DefaultTimeoutSeconds,
            TimeLimitSeconds = Int("time_limit_seconds") ?? CallRequest.DefaultTimeLimitSeconds,
            Record = Int("record_call") == 1,
            StatusCallback = Text("status_callback"),
            StatusCallbackMethod = ParseMethod(Text("status_callback_method")),
            StatusCallbackEvents = CallEventText.ParseSet(Text("status_callback_events") ?? ""),
            SecretKey = Text("callback_secret"),
            Optional = Text("callback_optional"),
            Dialect = Text("dialect") == "twilio" ? CallbackDialect.Twilio : CallbackDialect.Seed,
        };
        var result = Text("call_result");
        return new CallRecord
        {
            Sid = Text("sid")!,
            ParentSid = Text("parent_sid"),
            AccountSid = Text("account_sid")!,
            NodeId = Int("node_id") ?? 0,
            Direction = CallDirectionText.Parse(Text("direction")!),
            Request = request,
            Status = CallStatusText.Parse(Text("status")),
            CreatedAt = Time("created_at_ms")!.Value,
            UpdatedAt = Time("updated_at_ms")!.Value,
            StartedAt = Time("started_at_ms"),
            AnsweredAt = Time("answered_at_ms"),
            EndedAt = Time("ended_at_ms"),
            SipResponseCode = Int("sip_response_code"),
            Result = result is null ? null : CallStatusText.Parse(result),
            DurationSeconds = Int("duration_seconds"),
            RecordingPath = Text("recording_path"),
            RecordingUrl = Text("recording_url"),
            ErrorCode = Text("error_code"),
            ErrorMessage = Text("error_message"),
            NextCallbackSequence = Int("next_callback_sequence") ?? 0,
        };
    }

    internal static string MethodText(HttpMethodKind method) => method == HttpMethodKind.Get ? "GET" : "POST";

    internal static HttpMethodKind ParseMethod(string? text) => text == "GET" ? HttpMethodKind.Get : HttpMethodKind.Post;
}
