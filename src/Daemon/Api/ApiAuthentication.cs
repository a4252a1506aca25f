using Dialtone.Daemon.Auth;
using Dialtone.Daemon.Calls;
using Microsoft.Extensions.Primitives;

namespace Dialtone.Daemon.Api;

/// <summary>
/// Authenticates every request to the customer API (<c>/v1/…</c> and <c>/2010-04-01/…</c>) before routing;
/// the account is then available to the handlers through <see cref="AccountOf"/>.
/// </summary>
public static class ApiAuthentication
{
    public const string TwilioPrefix = "/2010-04-01";
    private const string AccountItem = "dialtone.account";

    public static bool IsCustomerApi(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(TwilioPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Which error shape and callback dialect a request's route speaks.</summary>
    public static CallbackDialect DialectOf(HttpContext context) =>
        context.Request.Path.StartsWithSegments(TwilioPrefix, StringComparison.OrdinalIgnoreCase) ? CallbackDialect.Twilio : CallbackDialect.Seed;

    public static Account AccountOf(HttpContext context) =>
        context.Items[AccountItem] as Account ?? throw new InvalidOperationException("the request was not authenticated");

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!IsCustomerApi(context.Request.Path))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var authenticator = context.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
        var headers = context.Request.Headers;
        var result = authenticator.Authenticate(First(headers[ApiKeyAuthenticator.ApiKeyHeader]), First(headers.Authorization));
        if (!result.IsAuthenticated)
        {
            var message = result.Failure switch
            {
                AuthFailure.Missing => "authentication required: send the apikey header, Authorization: Bearer <key>, or Basic <accountSid:key>",
                AuthFailure.Malformed => "the Authorization header is not Bearer <key> or Basic <base64(accountSid:key)>",
                _ => "the API key is not valid",
            };
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Dialtone\"";
            var metrics = context.RequestServices.GetRequiredService<Operations.DaemonMetrics>();
            metrics.ApiRejections.WithLabels(ApiErrorCode.Unauthorized).Increment();
            await new ApiProblem(ApiErrorCode.Unauthorized, message).ToResult(DialectOf(context)).ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        context.Items[AccountItem] = result.Account;
        await next(context).ConfigureAwait(false);
    }

    private static string? First(StringValues values) => values.Count == 0 ? null : values[0];
}
