using Dialtone.Daemon.Auth;
using Dialtone.Daemon.Calls;
using Microsoft.AspNetCore.Mvc;

namespace Dialtone.Daemon.Api;

/// <summary>
/// Twilio's Calls routes (API version 2010-04-01), so that Twilio's client libraries work against
/// Dialtone by changing the base URL. Calls made here speak Twilio's callback dialect.
/// </summary>
public static class TwilioEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Calls.json", CreateAsync);
        app.MapGet("/2010-04-01/Accounts/{accountSid}/Calls.json", List);
        app.MapGet("/2010-04-01/Accounts/{accountSid}/Calls/{sid}.json", Get);
        app.MapPost("/2010-04-01/Accounts/{accountSid}/Calls/{sid}.json", UpdateAsync);
    }

    /// <summary>The path's AccountSid must be the authenticated account's (Twilio's rule too).</summary>
    private static ApiProblem? CheckAccount(Account account, string accountSid) =>
        string.Equals(account.Sid, accountSid, StringComparison.OrdinalIgnoreCase)
            ? null
            : new ApiProblem(ApiErrorCode.AccountMismatch, $"the credentials are for account {account.Sid}, not {accountSid}", "AccountSid");

    private static async Task<IResult> CreateAsync(HttpContext context, string accountSid, [FromServices] CallsApi api)
    {
        var account = ApiAuthentication.AccountOf(context);
        if (CheckAccount(account, accountSid) is { } mismatch)
            return mismatch.ToResult(CallbackDialect.Twilio);
        var (call, problem) = await api.CreateAsync(context, account, CallbackDialect.Twilio).ConfigureAwait(false);
        if (problem is not null)
            return problem.ToResult(CallbackDialect.Twilio);
        var resource = TwilioCallResource.Of(call!);
        context.Response.Headers.Location = resource.Uri;
        return Results.Json(resource, DaemonJsonContext.Api.TwilioCallResource, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Get(HttpContext context, string accountSid, string sid, [FromServices] CallsApi api)
    {
        var account = ApiAuthentication.AccountOf(context);
        if (CheckAccount(account, accountSid) is { } mismatch)
            return mismatch.ToResult(CallbackDialect.Twilio);
        var (call, problem) = api.Get(account, sid);
        return problem is not null
            ? problem.ToResult(CallbackDialect.Twilio)
            : Results.Json(TwilioCallResource.Of(call!), DaemonJsonContext.Api.TwilioCallResource);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string accountSid, string sid, [FromServices] CallsApi api)
    {
        var account = ApiAuthentication.AccountOf(context);
        if (CheckAccount(account, accountSid) is { } mismatch)
            return mismatch.ToResult(CallbackDialect.Twilio);
        var (call, problem) = await api.UpdateAsync(context, account, sid).ConfigureAwait(false);
        return problem is not null
            ? problem.ToResult(CallbackDialect.Twilio)
            : Results.Json(TwilioCallResource.Of(call!), DaemonJsonContext.Api.TwilioCallResource);
    }

    private static IResult List(HttpContext context, string accountSid, [FromServices] CallsApi api)
    {
        var account = ApiAuthentication.AccountOf(context);
        if (CheckAccount(account, accountSid) is { } mismatch)
            return mismatch.ToResult(CallbackDialect.Twilio);
        var (page, query, problem) = api.List(account, context.Request.Query);
        if (problem is not null)
            return problem.ToResult(CallbackDialect.Twilio);
        var q = query!;
        var path = $"/2010-04-01/Accounts/{account.Sid}/Calls.json";
        var start = q.Page * q.PageSize;
        var body = new TwilioCallListPage
        {
            Calls = page!.Calls.Select(TwilioCallResource.Of).ToList(),
            Page = q.Page,
            PageSize = q.PageSize,
            Start = start,
            End = page.Calls.Count == 0 ? start : start + page.Calls.Count - 1,
            Uri = CallsApi.PageUri(path, q, q.Page, twilioNames: true),
            FirstPageUri = CallsApi.PageUri(path, q, 0, twilioNames: true),
            NextPageUri = (long)(q.Page + 1) * q.PageSize < page.Total ? CallsApi.PageUri(path, q, q.Page + 1, twilioNames: true) : null,
            PreviousPageUri = q.Page > 0 ? CallsApi.PageUri(path, q, q.Page - 1, twilioNames: true) : null,
        };
        return Results.Json(body, DaemonJsonContext.Api.TwilioCallListPage);
    }
}
