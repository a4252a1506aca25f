namespace Dialtone.Daemon.Callbacks;

/// <summary>How status callbacks are delivered.</summary>
public sealed record CallbackDeliveryOptions
{
    /// <summary>Deliveries in flight at once, across all calls (each call has at most one).</summary>
    public int Workers { get; init; } = 8;

    /// <summary>The whole request, connect to response headers.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public CallbackRetryPolicy Retry { get; init; } = new();
}
