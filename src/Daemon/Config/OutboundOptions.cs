namespace Dialtone.Daemon.Config;

/// <summary>
/// Which addresses customer URLs (apps, callbacks) may reach. Link-local and cloud-metadata
/// addresses are never reachable; loopback and private ranges only when allowed here.
/// </summary>
public sealed class OutboundOptions
{
    /// <summary>Allow 127.0.0.0/8 and ::1. Null: allowed in demo mode only.</summary>
    public bool? AllowLoopback { get; set; }

    public bool AllowPrivate { get; set; }
}
