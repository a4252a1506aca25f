namespace Dialtone.Daemon.Api;

/// <summary>The error body of the /v1 API: <c>{ "code", "message", "field" }</c>.</summary>
/// <param name="Code">One of <see cref="ApiErrorCode"/>.</param>
/// <param name="Message">For people; may change between versions.</param>
/// <param name="Field">The request parameter at fault, as the caller spelled it; null when none.</param>
public sealed record ApiError(string Code, string Message, string? Field);
