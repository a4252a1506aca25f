namespace Dialtone.Daemon.Callbacks;

/// <summary>
/// When a failed callback is tried again: exponential backoff from <see cref="InitialBackoff"/>,
/// doubling up to <see cref="MaxBackoff"/>, with "equal jitter" (half fixed, half random) so a
/// receiver that comes back is not hit by every waiting call at the same instant. Gives up after
/// <see cref="MaxAttempts"/> attempts or once an event is older than <see cref="MaxAge"/>.
/// </summary>
public sealed record CallbackRetryPolicy
{
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxAttempts { get; init; } = 20;

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>A number in [0, 1); random by default, fixed in tests.</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;

    /// <summary>The wait after the <paramref name="attempts"/>-th failed attempt (1-based).</summary>
    public TimeSpan DelayAfter(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        var exponent = Math.Min(attempts - 1, 30);
        var ceiling = Math.Min(MaxBackoff.TotalMilliseconds, InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = Math.Clamp(Jitter(), 0, 1);
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * jitter);
    }

    /// <summary>True when an event that has failed <paramref name="attempts"/> times may not be tried again at <paramref name="nextAttemptAt"/>.</summary>
    public bool IsExhausted(int attempts, DateTimeOffset createdAt, DateTimeOffset nextAttemptAt) =>
        attempts >= MaxAttempts || nextAttemptAt - createdAt > MaxAge;
}
