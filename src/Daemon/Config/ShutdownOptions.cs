namespace Dialtone.Daemon.Config;

/// <summary>Graceful shutdown.</summary>
public sealed class ShutdownOptions
{
    /// <summary>How long calls in progress may go on after a stop is asked, before they are hung up.</summary>
    public double GracePeriodSeconds { get; set; } = 30;
}
