namespace Dialtone.Daemon.Config;

/// <summary>Demo mode: a built-in loopback carrier instead of trunks.</summary>
public sealed class DemoOptions
{
    /// <summary>Null (default): demo exactly when no trunk is configured.</summary>
    public bool? Enabled { get; set; }
}
