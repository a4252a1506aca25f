using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Daemon.Config;

/// <summary>The configuration text of <see cref="SipTrunkDistribution"/> (<c>Trunks:N:Distribution</c>).</summary>
public static class TrunkDistributions
{
    /// <summary>Parses "Failover" or "RoundRobin" (any case); false for anything else.</summary>
    public static bool TryParse(string? text, out SipTrunkDistribution distribution)
    {
        if (string.Equals(text, "Failover", StringComparison.OrdinalIgnoreCase))
        {
            distribution = SipTrunkDistribution.Failover;
            return true;
        }
        if (string.Equals(text, "RoundRobin", StringComparison.OrdinalIgnoreCase))
        {
            distribution = SipTrunkDistribution.RoundRobin;
            return true;
        }
        distribution = default;
        return false;
    }
}
