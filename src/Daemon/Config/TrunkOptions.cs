using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Daemon.Config;

/// <summary>A SIP trunk calls go out through.</summary>
public sealed class TrunkOptions
{
    public string Name { get; set; } = "";

    /// <summary>Host name or IP of the carrier's SIP server.</summary>
    public string Host { get; set; } = "";

    /// <summary>Null: resolve by RFC 3263 (NAPTR/SRV), else 5060.</summary>
    public int? Port { get; set; }

    /// <summary>
    /// Secondary edges as "IP:port" ("[v6]:port"), tried in order when Host (an IP address) times out
    /// or answers 503; a host name takes its alternatives from DNS SRV instead.
    /// </summary>
    public List<string> Alternates { get; set; } = [];

    /// <summary>
    /// Failover (every call starts at Host, the Alternates only when it fails) or RoundRobin (calls
    /// take Host and the Alternates, or a name's SRV targets, in turn).
    /// </summary>
    public SipTrunkDistribution Distribution { get; set; } = SipTrunkDistribution.Failover;

    /// <summary>udp or tcp.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>Digest credentials (RFC 3261 §22); a secret, never logged.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The realm the credentials are for; null answers any realm the trunk challenges with.</summary>
    public string? Realm { get; set; }

    /// <summary>Offered in this order (telephone-event is always offered); empty (the default) means PCMU, PCMA.</summary>
    public List<string> Codecs { get; set; } = [];

    /// <summary>Calls per second the carrier accepts.</summary>
    public double Cps { get; set; } = 10;

    /// <summary>Concurrent calls the trunk carries.</summary>
    public int MaxCalls { get; set; } = 100;

    public CallerIdRules CallerId { get; set; } = new();
}
