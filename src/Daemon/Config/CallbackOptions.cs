namespace Dialtone.Daemon.Config;

/// <summary>Status-callback delivery and its retry policy.</summary>
public sealed class CallbackOptions
{
    public int Workers { get; set; } = 8;

    public double RequestTimeoutSeconds { get; set; } = 10;

    public double ConnectTimeoutSeconds { get; set; } = 5;

    public double InitialBackoffSeconds { get; set; } = 1;

    public double MaxBackoffSeconds { get; set; } = 300;

    public int MaxAttempts { get; set; } = 20;

    /// <summary>An event not delivered this long after it happened is given up (default one day).</summary>
    public double MaxAgeSeconds { get; set; } = 24 * 60 * 60;
}
