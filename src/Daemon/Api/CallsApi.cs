using System.Globalization;
using System.Text;
using Dialtone.Daemon.Auth;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Operations;
using Dialtone.Daemon.Storage;

namespace Dialtone.Daemon.Api;

/// <summary>What the /v1 and Twilio call routes share: reading, validating, and asking <see cref="ICallControl"/>.</summary>
public sealed class CallsApi(CallService calls, ApiSettings settings, DaemonMetrics metrics)
{
    public CallService Calls => calls;

    public async Task<(CallRecord? Call, ApiProblem? Problem)> CreateAsync(HttpContext context, Account account, CallbackDialect dialect)
    {
        var (parameters, readProblem) = await RequestParameterReader.ReadAsync(context.Request, settings.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (readProblem is not null)
            return (null, Count(readProblem));
        var (request, problem) = CallRequestValidator.ValidateCreate(parameters!, dialect);
        if (problem is not null)
            return (null, Count(problem));
        var result = await calls.CreateAsync(account, request!, context.RequestAborted).ConfigureAwait(false);
        return Outcome(result, null);
    }

    public (CallRecord? Call, ApiProblem? Problem) Get(Account account, string callSid)
    {
        var call = calls.Get(account.Sid, callSid);
        return call is null ? (null, Count(NotFound(callSid))) : (call, null);
    }

    public async Task<(CallRecord? Call, ApiProblem? Problem)> UpdateAsync(HttpContext context, Account account, string callSid)
    {
        if (!Sid.IsCallSid(callSid))
            return (null, Count(NotFound(callSid)));
        var (parameters, readProblem) = await RequestParameterReader.ReadAsync(context.Request, settings.MaxBodyBytes, context.RequestAborted).ConfigureAwait(false);
        if (readProblem is not null)
            return (null, Count(readProblem));
        var (update, problem) = CallRequestValidator.ValidateUpdate(parameters!);
        if (problem is not null)
            return (null, Count(problem));
        var token = context.RequestAborted;
        var result = update!.Status switch
        {
            CallStatus.Completed => await calls.HangupAsync(account.Sid, callSid, token).ConfigureAwait(false),
            CallStatus.Canceled => await calls.CancelAsync(account.Sid, callSid, token).ConfigureAwait(false),
            _ => await calls.RedirectAsync(account.Sid, callSid, update.Redirect!, token).ConfigureAwait(false),
        };
        return Outcome(result, callSid);
    }

    /// <summary>Parses list filters and paging from the query string (names case-insensitive), then reads the page.</summary>
    public (CallPage? Page, CallQuery? Query, ApiProblem? Problem) List(Account account, IQueryCollection query)
    {
        string? Single(string name, out ApiProblem? problem)
        {
            problem = null;
            var values = query[name];
            if (values.Count > 1)
                problem = new ApiProblem(ApiErrorCode.RepeatedParameter, $"{name} was given {values.Count} times; give it once", name);
            var value = values.Count == 0 ? null : values[0]?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
        int? Number(string name, int min, int max, out ApiProblem? problem)
        {
            var text = Single(name, out problem);
            if (problem is not null || text is null)
                return null;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                problem = new ApiProblem(ApiErrorCode.InvalidValue, $"{name} must be a whole number, got '{text}'", name);
                return null;
            }
            if (value < min || value > max)
                problem = new ApiProblem(ApiErrorCode.OutOfRange, $"{name} must be {min}-{max}, got {value}", name);
            return value;
        }

        var statusText = Single("status", out var p1);
        var to = Single("to", out var p2);
        var from = Single("from", out var p3);
        var parent = Single("parentCallSid", out var p4);
        var page = Number("page", 0, 1_000_000, out var p5);
        var pageSize = Number("pageSize", 1, settings.MaxPageSize, out var p6);
        var problem = p1 ?? p2 ?? p3 ?? p4 ?? p5 ?? p6;
        if (problem is not null)
            return (null, null, Count(problem));
        CallStatus? status = null;
        if (statusText is not null)
        {
            if (!CallStatusText.TryParse(statusText, out var parsed))
                return (null, null, Count(new ApiProblem(ApiErrorCode.InvalidStatus,
                    $"status must be queued, initiated, ringing, in-progress, completed, busy, no-answer, failed or canceled, got '{statusText}'", "status")));
            status = parsed;
        }
        var callQuery = new CallQuery
        {
            AccountSid = account.Sid,
            Status = status,
            To = to,
            From = from,
            ParentSid = parent,
            Page = page ?? 0,
            PageSize = pageSize ?? settings.DefaultPageSize,
        };
        return (calls.List(callQuery), callQuery, null);
    }

    /// <summary>A page link: <paramref name="path"/> with the filters and the page, names spelled as <paramref name="twilioNames"/> says.</summary>
    public static string PageUri(string path, CallQuery query, int page, bool twilioNames)
    {
        var uri = new StringBuilder(path).Append('?');
        void Add(string name, string value) =>
            uri.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        if (query.Status is { } status)
            Add(twilioNames ? "Status" : "status", CallStatusText.Of(status));
        if (query.To is not null)
            Add(twilioNames ? "To" : "to", query.To);
        if (query.From is not null)
            Add(twilioNames ? "From" : "from", query.From);
        if (query.ParentSid is not null)
            Add(twilioNames ? "ParentCallSid" : "parentCallSid", query.ParentSid);
        Add(twilioNames ? "PageSize" : "pageSize", query.PageSize.ToString(CultureInfo.InvariantCulture));
        Add(twilioNames ? "Page" : "page", page.ToString(CultureInfo.InvariantCulture));
        uri.Length--;
        return uri.ToString();
    }

    private (CallRecord?, ApiProblem?) Outcome(CallControlResult result, string? callSid) => result.Status switch
    {
        CallControlStatus.Ok => (result.Call, null),
        CallControlStatus.NotFound => (null, Count(NotFound(callSid ?? ""))),
        CallControlStatus.InvalidState => (null, Count(new ApiProblem(ApiErrorCode.InvalidCallState, result.Message ?? "the call's state does not allow this", "status"))),
        CallControlStatus.OverLimit => (null, Count(new ApiProblem(ApiErrorCode.TooManyCalls, result.Message ?? "too many calls"))),
        CallControlStatus.ShuttingDown => (null, Count(new ApiProblem(ApiErrorCode.ShuttingDown, result.Message ?? "shutting down"))),
        _ => (null, Count(new ApiProblem(ApiErrorCode.InternalError, "unexpected result"))),
    };

    private static ApiProblem NotFound(string callSid) => new(ApiErrorCode.NotFound, $"call {callSid} was not found", "sid");

    private ApiProblem Count(ApiProblem problem)
    {
        metrics.ApiRejections.WithLabels(problem.Code).Increment();
        return problem;
    }
}
