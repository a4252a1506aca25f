using Dialtone.Daemon.Calls;
using Microsoft.AspNetCore.Mvc;

namespace Dialtone.Daemon.Api;

/// <summary>The /v1 call routes (the seed spec's API; DESIGN.md §1).</summary>
public static class CallsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/calls", CreateAsync);
        app.MapGet("/v1/calls", List);
        app.MapGet("/v1/calls/{sid}", Get);
        app.MapPost("/v1/calls/{sid}", UpdateAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, [FromServices] CallsApi api)
    {
        var (call, problem) = await api.CreateAsync(context, ApiAuthentication.AccountOf(context), CallbackDialect.Seed).ConfigureAwait(false);
        if (problem is not null)
            return problem.ToResult(CallbackDialect.Seed);
        var resource = CallResource.Of(call!);
        context.Response.Headers.Location = resource.Uri;
        return Results.Json(resource, DaemonJsonContext.Api.CallResource, statusCode: StatusCodes.Status201Created);
    }

    private static IResult Get(HttpContext context, string sid, [FromServices] CallsApi api)
    {
        var (call, problem) = api.Get(ApiAuthentication.AccountOf(context), sid);
        return problem is not null ? problem.ToResult(CallbackDialect.Seed) : Results.Json(CallResource.Of(call!), DaemonJsonContext.Api.CallResource);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, string sid, [FromServices] CallsApi api)
    {
        var (call, problem) = await api.UpdateAsync(context, ApiAuthentication.AccountOf(context), sid).ConfigureAwait(false);
        return problem is not null ? problem.ToResult(CallbackDialect.Seed) : Results.Json(CallResource.Of(call!), DaemonJsonContext.Api.CallResource);
    }

    private static IResult List(HttpContext context, [FromServices] CallsApi api)
    {
        var (page, query, problem) = api.List(ApiAuthentication.AccountOf(context), context.Request.Query);
        if (problem is not null)
            return problem.ToResult(CallbackDialect.Seed);
        var q = query!;
        const string path = "/v1/calls";
        var body = new CallListPage
        {
            Calls = page!.Calls.Select(CallResource.Of).ToList(),
            Page = q.Page,
            PageSize = q.PageSize,
            Total = page.Total,
            Uri = CallsApi.PageUri(path, q, q.Page, twilioNames: false),
            FirstPageUri = CallsApi.PageUri(path, q, 0, twilioNames: false),
            NextPageUri = (long)(q.Page + 1) * q.PageSize < page.Total ? CallsApi.PageUri(path, q, q.Page + 1, twilioNames: false) : null,
            PreviousPageUri = q.Page > 0 ? CallsApi.PageUri(path, q, q.Page - 1, twilioNames: false) : null,
        };
        return Results.Json(body, DaemonJsonContext.Api.CallListPage);
    }
}
