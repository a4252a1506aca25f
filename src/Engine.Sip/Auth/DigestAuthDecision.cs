namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// What to do after a 401/407: retry with the credentials of <see cref="DigestAuthAttempt.Authorize"/>,
/// or give up, in which case the request fails with <see cref="StatusCode"/> (the challenge's code).
/// </summary>
public readonly record struct DigestAuthDecision(bool ShouldRetry, DigestGiveUpReason Reason, int StatusCode)
{
    internal static DigestAuthDecision Retry(int statusCode) => new(true, DigestGiveUpReason.None, statusCode);

    internal static DigestAuthDecision GiveUp(DigestGiveUpReason reason, int statusCode) => new(false, reason, statusCode);

    public override string ToString() => ShouldRetry ? $"retry after {StatusCode}" : $"give up on {StatusCode}: {Reason}";
}
