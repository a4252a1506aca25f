namespace Dialtone.Daemon.Callbacks;

/// <summary>The outcome of one HTTP attempt to deliver a callback.</summary>
/// <param name="Kind">What to do next.</param>
/// <param name="StatusCode">The receiver's status code, when it answered.</param>
/// <param name="Error">Why it failed, for the record and the log (no body, no query).</param>
/// <param name="RetryAfter">The receiver's Retry-After on 429/503, if any.</param>
internal readonly record struct AttemptResult(AttemptKind Kind, int? StatusCode, string? Error, TimeSpan? RetryAfter = null);
