using System.Net;

namespace Dialtone.Engine.Sip.Dns;

/// <summary>Settings of a <see cref="SipTargetResolver"/>. Every bound is finite so that no
/// answer, or lack of one, can make resolution hang or grow without limit.</summary>
public sealed record SipTargetResolverOptions
{
    /// <summary>The name servers to ask, in order. Required: the daemon passes the system's, tests pass a local one.</summary>
    public required IReadOnlyList<IPEndPoint> NameServers { get; init; }

    /// <summary>How long one query waits for an answer. Default 2 s.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Extra tries of a query that timed out. Default 1.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Retry over TCP when a UDP answer is truncated (RFC 1035 §4.2.1). Default true.</summary>
    public bool UseTcpFallback { get; init; } = true;

    /// <summary>The transports this client can use; NAPTR and SRV records for others are skipped (RFC 3263 §4.1).</summary>
    public IReadOnlyList<SipTargetTransport> Transports { get; init; } = [SipTargetTransport.Udp, SipTargetTransport.Tcp, SipTargetTransport.Tls];

    /// <summary>Also query AAAA records. Default true.</summary>
    public bool UseIPv6 { get; init; } = true;

    /// <summary>Put IPv6 addresses of a host before its IPv4 ones. Default false.</summary>
    public bool PreferIPv6 { get; init; }

    /// <summary>The most answers kept in the cache. Default 1024.</summary>
    public int CacheCapacity { get; init; } = 1024;

    /// <summary>The longest a positive answer is cached, whatever its TTL. Default 1 hour.</summary>
    public TimeSpan MaxCacheTtl { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long "no such name" / "no such record" is cached (RFC 2308 negative caching). Default 30 s.</summary>
    public TimeSpan NegativeCacheTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a target marked failed stays at the back of the list by default. Default 30 s.</summary>
    public TimeSpan FailedTargetHoldDown { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The most targets returned for one host. Default 32.</summary>
    public int MaxTargets { get; init; } = 32;

    internal void Validate()
    {
        if (NameServers is null || NameServers.Count == 0)
            throw new ArgumentException("At least one name server is required.", nameof(NameServers));
        if (QueryTimeout <= TimeSpan.Zero || QueryTimeout > TimeSpan.FromSeconds(30))
            throw new ArgumentOutOfRangeException(nameof(QueryTimeout), QueryTimeout, "The query timeout must be between 0 and 30 s.");
        if (Retries is < 0 or > 5)
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "Retries must be between 0 and 5.");
        if (Transports is null || Transports.Count == 0)
            throw new ArgumentException("At least one transport is required.", nameof(Transports));
        if (CacheCapacity is < 0 or > 1_000_000)
            throw new ArgumentOutOfRangeException(nameof(CacheCapacity), CacheCapacity, "The cache capacity must be between 0 and 1,000,000.");
        if (MaxCacheTtl < TimeSpan.Zero || NegativeCacheTtl < TimeSpan.Zero || FailedTargetHoldDown < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(MaxCacheTtl), "Durations must not be negative.");
        if (MaxTargets is < 1 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(MaxTargets), MaxTargets, "MaxTargets must be between 1 and 1024.");
    }
}
