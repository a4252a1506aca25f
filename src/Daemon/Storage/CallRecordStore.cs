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

    private static readonly string[] AllParameters = Parameters(Columns);
    private static readonly string[] StateParameters = ["$sid", .. Parameters(StateColumns)];
    private static readonly string InsertSql = $"INSERT INTO calls ({Columns}) VALUES ({string.Join(", ", AllParameters)});";
    private static readonly string UpdateSql = BuildUpdate(Columns);
    private static readonly string UpdateStateSql = BuildUpdate(StateColumns);

    public SqliteDatabase Database => database;

    /// <summary>Adds a new call inside the caller's transaction.</summary>
    public static void Insert(SqliteConnection connection, SqliteTransaction transaction, CallRecord call)
    {
        var command = SqliteStatementCache.For(connection).Get(InsertSql, AllParameters, transaction);
        BindAll(command.Parameters, call);
        command.ExecuteNonQuery();
    }

    /// <summary>Rewrites a call's row inside the caller's transaction (every column: a redirect changes the request).</summary>
    public static void Update(SqliteConnection connection, SqliteTransaction transaction, CallRecord call)
    {
        var command = SqliteStatementCache.For(connection).Get(UpdateSql, AllParameters, transaction);
        BindAll(command.Parameters, call);
        if (command.ExecuteNonQuery() != 1)
            throw new InvalidOperationException($"call {call.Sid} is not stored");
    }

    /// <summary>
    /// Writes a state change inside the caller's transaction: status, times, SIP code, result, error,
    /// recording and the callback sequence (the columns <see cref="CallService"/>'s transitions change).
    /// </summary>
    public static void UpdateState(SqliteConnection connection, SqliteTransaction transaction, CallRecord call)
    {
        var command = SqliteStatementCache.For(connection).Get(UpdateStateSql, StateParameters, transaction);
        var p = command.Parameters;
        p[0].Value = call.Sid;
        BindState(p, 1, call, includeStatus: true);
        if (command.ExecuteNonQuery() != 1)
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
            $"SELECT {Columns} FROM calls WHERE node_id = $node AND status IN ('queued', 'initiated', 'ringing', 'in-progress') ORDER BY created_at_ms, sid;";
        command.Parameters.AddWithValue("$node", nodeId);
        var calls = new List<CallRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            calls.Add(ReadCall(reader));
        return (IReadOnlyList<CallRecord>)calls;
    });

    private static string[] Parameters(string columns) => columns.Split(", ").Select(n => "$" + n).ToArray();

    private static string BuildUpdate(string columns)
    {
        var names = columns.Split(", ").Where(n => n != "sid");
        return $"UPDATE calls SET {string.Join(", ", names.Select(n => $"{n} = ${n}"))} WHERE sid = $sid;";
    }

    /// <summary>Sets every parameter, in <see cref="Columns"/> order.</summary>
    private static void BindAll(SqliteParameterCollection p, CallRecord call)
    {
        var request = call.Request;
        p[0].Value = call.Sid;
        p[1].Value = Nullable(call.ParentSid);
        p[2].Value = call.AccountSid;
        p[3].Value = call.NodeId;
        p[4].Value = CallDirectionText.Of(call.Direction);
        p[5].Value = request.Dialect == CallbackDialect.Twilio ? "twilio" : "seed";
        p[6].Value = CallStatusText.Of(call.Status);
        p[7].Value = request.From;
        p[8].Value = request.To;
        p[9].Value = Nullable(request.CallerId);
        p[10].Value = Nullable(request.Url);
        p[11].Value = MethodText(request.Method);
        p[12].Value = Nullable(request.FallbackUrl);
        p[13].Value = MethodText(request.FallbackMethod);
        p[14].Value = Nullable(request.Twiml);
        p[15].Value = Nullable(request.SendDigits);
        p[16].Value = request.TimeoutSeconds;
        p[17].Value = request.TimeLimitSeconds;
        p[18].Value = request.Record ? 1 : 0;
        p[19].Value = Nullable(request.StatusCallback);
        p[20].Value = MethodText(request.StatusCallbackMethod);
        p[21].Value = CallEventText.Format(request.StatusCallbackEvents);
        p[22].Value = Nullable(request.SecretKey);
        p[23].Value = Nullable(request.Optional);
        p[24].Value = call.CreatedAt.ToUnixTimeMilliseconds();
        // From updated_at_ms on, Columns lists the state columns in StateColumns order (status is at 6).
        BindState(p, 25, call, includeStatus: false);
    }

    /// <summary>Sets the <see cref="StateColumns"/> (without status unless <paramref name="includeStatus"/>) from parameter <paramref name="first"/> on.</summary>
    private static void BindState(SqliteParameterCollection p, int first, CallRecord call, bool includeStatus)
    {
        var i = first;
        if (includeStatus)
            p[i++].Value = CallStatusText.Of(call.Status);
        p[i++].Value = call.UpdatedAt.ToUnixTimeMilliseconds();
        p[i++].Value = Millis(call.StartedAt);
        p[i++].Value = Millis(call.AnsweredAt);
        p[i++].Value = Millis(call.EndedAt);
        p[i++].Value = (object?)call.SipResponseCode ?? DBNull.Value;
        p[i++].Value = call.Result is { } result ? CallStatusText.Of(result) : DBNull.Value;
        p[i++].Value = (object?)call.DurationSeconds ?? DBNull.Value;
        p[i++].Value = Nullable(call.RecordingPath);
        p[i++].Value = Nullable(call.RecordingUrl);
        p[i++].Value = Nullable(call.ErrorCode);
        p[i++].Value = Nullable(call.ErrorMessage);
        p[i].Value = call.NextCallbackSequence;
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

    private static object Nullable(string? value) => (object?)value ?? DBNull.Value;

    private static object Millis(DateTimeOffset? time) => time is { } t ? t.ToUnixTimeMilliseconds() : DBNull.Value;

    internal static string MethodText(HttpMethodKind method) => method == HttpMethodKind.Get ? "GET" : "POST";

    internal static HttpMethodKind ParseMethod(string? text) => text == "GET" ? HttpMethodKind.Get : HttpMethodKind.Post;
}
