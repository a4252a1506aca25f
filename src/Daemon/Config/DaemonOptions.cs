namespace Dialtone.Daemon.Config;

/// <summary>
/// The daemon's configuration: one JSON file plus <c>DIALTONE__Section__Key</c> environment overrides
/// (docs/configuration.md). Bound by generated code, then checked by <see cref="DaemonOptionsValidator"/>.
/// </summary>
public sealed class DaemonOptions
{
    public NodeOptions Node { get; set; } = new();

    public ApiOptions Api { get; set; } = new();

    public LimitsOptions Limits { get; set; } = new();

    public SipOptions Sip { get; set; } = new();

    public RtpOptions Rtp { get; set; } = new();

    public StorageOptions Storage { get; set; } = new();

    public CallbackOptions Callbacks { get; set; } = new();

    public OutboundOptions Outbound { get; set; } = new();

    public ShutdownOptions Shutdown { get; set; } = new();

    public DemoOptions Demo { get; set; } = new();

    public LoggingOptions Logging { get; set; } = new();

    public List<AccountOptions> Accounts { get; set; } = [];

    public List<TrunkOptions> Trunks { get; set; } = [];

    /// <summary>Demo mode: forced by <see cref="DemoOptions.Enabled"/>, else on exactly when no trunk is configured.</summary>
    public bool IsDemo => Demo.Enabled ?? Trunks.Count == 0;
}
