using System.Net;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Trunks;

/// <summary>One carrier trunk: where its edge is, how to reach it, how to authenticate, and how we appear to it.</summary>
public sealed class SipTrunkOptions
{
    /// <summary>A name for logs and metrics.</summary>
    public required string Name { get; init; }

    /// <summary>The trunk's host: an IP address or a domain name resolved by RFC 3263 (NAPTR, SRV, A/AAAA).</summary>
    public required string Host { get; init; }

    /// <summary>The port; null lets RFC 3263 find it (SRV), or 5060.</summary>
    public int? Port { get; init; }

    /// <summary>
    /// Where to go when <see cref="Host"/> (an IP address) times out or answers 503, in this order:
    /// the carrier's secondary edges. A host name gets its alternatives from its SRV records
    /// instead (RFC 3263 §4.3), so these are only taken with an IP address.
    /// </summary>
    public IReadOnlyList<IPEndPoint> AlternateTargets { get; init; } = [];

    /// <summary>Whether new calls all start at the first target (failover only) or take the targets in turn.</summary>
    public SipTrunkDistribution Distribution { get; init; } = SipTrunkDistribution.Failover;

    /// <summary>The transport to use; null lets RFC 3263 choose (NAPTR/SRV), UDP otherwise.</summary>
    public SipTransportProtocol? Transport { get; init; }

    /// <summary>Digest credentials for 401/407 challenges (RFC 3261 §22), or null.</summary>
    public DigestCredentials? Credentials { get; init; }

    /// <summary>The host (IP or name) for our Via and Contact toward this trunk, behind NAT; default: the user agent's.</summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>The port for our Via and Contact toward this trunk; default: the user agent's.</summary>
    public int? AdvertisedPort { get; init; }

    /// <summary>The host part of our From URI; default: the trunk's host.</summary>
    public string? FromHost { get; init; }

    /// <summary>Send OPTIONS to the trunk this often and mark it down when it stops answering; null: never.</summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>
    /// RFC 4028: the session interval (seconds) to ask for in our INVITEs, or null to ask for none
    /// (a session timer the trunk asks for in its 2xx is honoured either way).
    /// </summary>
    public int? SessionExpires { get; init; }

    /// <summary>Send a request that exceeds 1300 bytes over TCP when the trunk is reached over UDP (RFC 3261 §18.1.1).</summary>
    public bool LargeRequestsOverTcp { get; init; } = true;

    /// <summary>How long resolved targets are reused before asking the resolver again.</summary>
    public TimeSpan TargetCacheTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a target that timed out or answered 503 without Retry-After is avoided.</summary>
    public TimeSpan FailedTargetHoldDown { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
            throw new ArgumentException("A trunk needs a name.", nameof(Name));
        if (!SipTrunks.IsHost(Host))
            throw new ArgumentException($"Trunk '{Name}': Host '{Host}' is not a host name or IP address.", nameof(Host));
        if (Port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(Port), Port, $"Trunk '{Name}': Port must be 1-65535.");
        if (AdvertisedPort is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(AdvertisedPort), AdvertisedPort, $"Trunk '{Name}': AdvertisedPort must be 1-65535.");
        if (AdvertisedHost is not null && !SipTrunks.IsHost(AdvertisedHost))
            throw new ArgumentException($"Trunk '{Name}': AdvertisedHost '{AdvertisedHost}' is not a host name or IP address.", nameof(AdvertisedHost));
        if (FromHost is not null && !SipTrunks.IsHost(FromHost))
            throw new ArgumentException($"Trunk '{Name}': FromHost '{FromHost}' is not a host name or IP address.", nameof(FromHost));
        if (KeepAliveInterval is { } interval && (interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromHours(1)))
            throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), interval, $"Trunk '{Name}': KeepAliveInterval must be 1 s to 1 h.");
        if (SessionExpires is < 90 or > 86400)
            throw new ArgumentOutOfRangeException(nameof(SessionExpires), SessionExpires, $"Trunk '{Name}': SessionExpires must be 90-86400 seconds (RFC 4028 §4).");
        if (!Enum.IsDefined(Distribution))
            throw new ArgumentOutOfRangeException(nameof(Distribution), Distribution, $"Trunk '{Name}': Distribution must be Failover or RoundRobin.");
        if (TargetCacheTime < TimeSpan.Zero || FailedTargetHoldDown < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(TargetCacheTime), $"Trunk '{Name}': durations must not be negative.");
    }
}
