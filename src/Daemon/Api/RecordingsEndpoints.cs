using Dialtone.Daemon.Calls;
using Microsoft.AspNetCore.Mvc;

namespace Dialtone.Daemon.Api;

/// <summary>
/// Whole-call recordings at the URL RecordingUrl carries: <c>GET /v1/recordings/{CallSid}.wav</c>,
/// authenticated like the rest of the API and visible only to the call's account. Range requests
/// are honoured (RFC 9110 §14), so players can seek.
/// </summary>
public static class RecordingsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/recordings/{sid}.wav", Get);
        app.MapGet("/v1/calls/{sid}/recordings/{recordingSid}.wav", GetTake);
    }

    /// <summary>One &lt;Record&gt; take (the RecordingUrl posted to the verb's action).</summary>
    private static IResult GetTake(HttpContext context, string sid, string recordingSid, [FromServices] CallService calls, [FromServices] RecordingStore recordings)
    {
        var account = ApiAuthentication.AccountOf(context);
        var call = calls.Get(account.Sid, sid);
        var path = call is null ? null : recordings.ExistingTakeOf(call, recordingSid);
        if (path is null)
            return new ApiProblem(ApiErrorCode.NotFound, $"no recording {recordingSid} for call {sid}", "recordingSid").ToResult(CallbackDialect.Seed);
        return Results.File(path, "audio/wav", fileDownloadName: null, enableRangeProcessing: true);
    }

    private static IResult Get(HttpContext context, string sid, [FromServices] CallService calls, [FromServices] RecordingStore recordings)
    {
        var account = ApiAuthentication.AccountOf(context);
        var call = calls.Get(account.Sid, sid);
        var path = call is null ? null : recordings.PathOf(call);
        if (path is null)
            return new ApiProblem(ApiErrorCode.NotFound, $"no recording for call {sid}", "sid").ToResult(CallbackDialect.Seed);
        return Results.File(path, "audio/wav", fileDownloadName: null, enableRangeProcessing: true);
    }
}
