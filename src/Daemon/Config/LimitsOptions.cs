namespace Dialtone.Daemon.Config;

/// <summary>Per-account bounds (each account may override them).</summary>
public sealed class LimitsOptions
{
    /// <summary>Calls initiated, ringing or in progress at once, per account.</summary>
    public int MaxActiveCallsPerAccount { get; set; } = 100;

    /// <summary>Calls accepted and not yet dialed, per account; one more gets 429.</summary>
    public int MaxQueuedCallsPerAccount { get; set; } = 1000;

    public OverLimitAction OverLimit { get; set; } = OverLimitAction.Queue;
}
