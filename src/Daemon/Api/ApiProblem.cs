using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Api;

/// <summary>A refused request: the code, a message, and the parameter at fault.</summary>
public sealed record ApiProblem(string Code, string Message, string? Field = null)
{
    public int HttpStatus => ApiErrorCode.HttpStatusOf(Code);

    /// <summary>The response body in the caller's dialect (Twilio routes get Twilio's error shape).</summary>
    public IResult ToResult(CallbackDialect dialect)
    {
        if (dialect == CallbackDialect.Twilio)
        {
            var twilioCode = ApiErrorCode.TwilioCodeOf(Code, Field);
            var body = new TwilioError(twilioCode, Message, $"https://www.twilio.com/docs/errors/{twilioCode}", HttpStatus);
            return Results.Json(body, DaemonJsonContext.Api.TwilioError, statusCode: HttpStatus);
        }
        return Results.Json(new ApiError(Code, Message, Field), DaemonJsonContext.Api.ApiError, statusCode: HttpStatus);
    }
}
