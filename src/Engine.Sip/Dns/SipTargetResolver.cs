using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Dialtone.Engine.Sip.Dns;

/// <summary>
/// Turns a trunk's host into the ordered list of places to send a request, per RFC 3263 §4:
/// <list type="number">
/// <item>an IP literal needs no lookup;</item>
/// <item>a host with a port: A/AAAA only (§4.2);</item>
/// <item>a transport but no port: SRV for that transport (§4.2);</item>
/// <item>otherwise NAPTR (SIP+D2U, SIP+D2T, SIPS+D2T) → SRV (§4.1);
/// no usable NAPTR: SRV _sip._udp, _sip._tcp, _sips._tcp;
/// no SRV: A/AAAA on 5060 (5061 for TLS).</item>
/// </list>
/// SRV records are ordered by priority, then weighted-random per RFC 2782, on every call.
/// Answers are cached for their TTL (bounded). Failover is the caller's: try the targets in order,
/// and <see cref="MarkFailed"/> one that timed out or answered 503 so later resolutions put it last.
/// </summary>
public sealed class SipTargetResolver
{
    private const ushort TypeA = 1;
    private const ushort TypeAaaa = 28;
    private const ushort TypeSrv = 33;
    private const ushort TypeNaptr = 35;
    private const int MaxNaptrRecords = 16;
    private const int MaxSrvRecords = 32;
    private const int MaxFailureMarks = 4096;

    private readonly SipTargetResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly LookupClient _client;
    private readonly DnsAnswerCache _cache;
    private readonly ConcurrentDictionary<(SipTargetTransport, IPEndPoint), long> _failedUntil = new();

    /// <param name="options">Name servers and bounds.</param>
    /// <param name="timeProvider">The clock for cache expiry and failure marks; the system clock by default.</param>
    /// <param name="random">The source for RFC 2782's weighted order; tests pass a seeded one.</param>
    public SipTargetResolver(SipTargetResolverOptions options, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? new Random();
        _cache = new DnsAnswerCache(options.CacheCapacity, _time);

        var servers = options.NameServers.Select(endpoint => new NameServer(endpoint)).ToArray();
        _client = new LookupClient(new LookupClientOptions(servers)
        {
            // This class caches with its own bounds and clock.
            UseCache = false,
            Timeout = options.QueryTimeout,
            Retries = options.Retries,
            UseTcpFallback = options.UseTcpFallback,
            ThrowDnsErrors = false,
            // An NXDOMAIN or an empty answer is an answer: asking the next server would only cost time.
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            UseRandomNameServer = false,
            Recursion = true,
        });
    }

    /// <summary>The name servers of this machine (resolv.conf), for the daemon's default options.</summary>
    public static IReadOnlyList<IPEndPoint> SystemNameServers() =>
        NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false)
            .Select(server => new IPEndPoint(IPAddress.Parse(server.Address), server.Port))
            .ToArray();

    /// <summary>Answers held in the cache now.</summary>
    public int CachedAnswerCount => _cache.Count;

    /// <summary>
    /// Resolves <paramref name="host"/> into targets, best first.
    /// </summary>
    /// <param name="host">A domain name or an IP literal (IPv6 with or without brackets).</param>
    /// <param name="port">The URI's port, if it has one.</param>
    /// <param name="transport">The URI's transport parameter, if it has one.</param>
    /// <param name="secure">True for a SIPS URI: only TLS targets (RFC 3263 §4.1).</param>
    /// <exception cref="ArgumentException">The host is not a valid name or address, or the combination is impossible (sips over UDP).</exception>
    /// <exception cref="SipResolutionException">No target: why, and for which host.</exception>
    public async Task<IReadOnlyList<SipTarget>> ResolveAsync(
        string host,
        int? port = null,
        SipTargetTransport? transport = null,
        bool secure = false,
        CancellationToken cancellationToken = default)
    {
        var name = NormalizeHost(host, out var literal);
        if (port is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(port), port, "A port must be between 1 and 65535.");
        if (secure && transport == SipTargetTransport.Udp)
            throw new ArgumentException("A SIPS URI cannot use UDP (RFC 3261 §26.2.2).", nameof(transport));
        // sips:...;transport=tcp means TLS over TCP (RFC 3261 §26.2.2).
        if (secure && transport is not null)
            transport = SipTargetTransport.Tls;
        // §4.1: without NAPTR or SRV to say otherwise, UDP for sip and TLS for sips.
        var defaultTransport = secure ? SipTargetTransport.Tls : SipTargetTransport.Udp;

        if (literal is not null)
        {
            var literalTransport = transport ?? defaultTransport;
            return [new SipTarget(literalTransport, new IPEndPoint(literal, port ?? DefaultPort(literalTransport)), name)];
        }

        var resolution = new Resolution(this, name, cancellationToken);
        if (port is { } explicitPort)
        {
            // §4.2: a port means no NAPTR or SRV, just addresses.
            await resolution.AddHostAsync(name, explicitPort, transport ?? defaultTransport).ConfigureAwait(false);
        }
        else if (transport is { } explicitTransport)
        {
            await resolution.AddSrvAsync(SrvName(explicitTransport, name), explicitTransport).ConfigureAwait(false);
            if (resolution.IsEmpty && !resolution.Stopped)
                await resolution.AddHostAsync(name, DefaultPort(explicitTransport), explicitTransport).ConfigureAwait(false);
        }
        else
        {
            await resolution.AddNaptrAsync(name, secure).ConfigureAwait(false);
            if (resolution.IsEmpty && !resolution.Stopped)
            {
                foreach (var candidate in SrvFallbackOrder(secure))
                {
                    await resolution.AddSrvAsync(SrvName(candidate, name), candidate).ConfigureAwait(false);
                    if (resolution.Stopped)
                        break;
                }
            }
            if (resolution.IsEmpty && !resolution.Stopped)
                await resolution.AddHostAsync(name, DefaultPort(defaultTransport), defaultTransport).ConfigureAwait(false);
        }

        return OrderByHealth(resolution.Finish());
    }

    /// <summary>
    /// Puts <paramref name="target"/> at the back of the lists of later resolutions until
    /// <paramref name="holdDown"/> (default <see cref="SipTargetResolverOptions.FailedTargetHoldDown"/>)
    /// has passed: for a timeout or a 503 (RFC 3263 §4.3).
    /// </summary>
    public void MarkFailed(SipTarget target, TimeSpan? holdDown = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var duration = holdDown ?? _options.FailedTargetHoldDown;
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        long now = _time.GetTimestamp();
        if (_failedUntil.Count >= MaxFailureMarks)
        {
            foreach (var (key, until) in _failedUntil)
            {
                if (until <= now)
                    _failedUntil.TryRemove(key, out _);
            }
        }
        if (_failedUntil.Count < MaxFailureMarks)
            _failedUntil[(target.Transport, target.EndPoint)] = now + (long)(duration.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>Clears a failure mark, after the target answered again.</summary>
    public void MarkSucceeded(SipTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _failedUntil.TryRemove((target.Transport, target.EndPoint), out _);
    }

    /// <summary>True while <paramref name="target"/> is marked failed.</summary>
    public bool IsMarkedFailed(SipTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _failedUntil.TryGetValue((target.Transport, target.EndPoint), out long until) && until > _time.GetTimestamp();
    }

    /// <summary>The same targets with those marked failed moved to the back, the order otherwise kept.</summary>
    public IReadOnlyList<SipTarget> OrderByHealth(IReadOnlyList<SipTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (_failedUntil.IsEmpty)
            return targets;
        var healthy = new List<SipTarget>(targets.Count);
        var failed = new List<SipTarget>();
        foreach (var target in targets)
            (IsMarkedFailed(target) ? failed : healthy).Add(target);
        healthy.AddRange(failed);
        return healthy;
    }

    private static int DefaultPort(SipTargetTransport transport) => transport == SipTargetTransport.Tls ? 5061 : 5060;

    private static string SrvName(SipTargetTransport transport, string name) => transport switch
    {
        SipTargetTransport.Udp => "_sip._udp." + name,
        SipTargetTransport.Tcp => "_sip._tcp." + name,
        _ => "_sips._tcp." + name,
    };

    private IEnumerable<SipTargetTransport> SrvFallbackOrder(bool secure)
    {
        if (secure)
        {
            yield return SipTargetTransport.Tls;
            yield break;
        }
        foreach (var transport in new[] { SipTargetTransport.Udp, SipTargetTransport.Tcp, SipTargetTransport.Tls })
        {
            if (_options.Transports.Contains(transport))
                yield return transport;
        }
    }

    private static SipTargetTransport? TransportOfService(string service, bool secure)
    {
        // RFC 3263 §4.1 service fields; only SIPS+D2T for a SIPS URI.
        if (service.Equals("SIPS+D2T", StringComparison.OrdinalIgnoreCase))
            return SipTargetTransport.Tls;
        if (secure)
            return null;
        if (service.Equals("SIP+D2U", StringComparison.OrdinalIgnoreCase))
            return SipTargetTransport.Udp;
        if (service.Equals("SIP+D2T", StringComparison.OrdinalIgnoreCase))
            return SipTargetTransport.Tcp;
        return null;
    }

    private static string NormalizeHost(string host, out IPAddress? literal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        var text = host.Trim();
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            if (!IPAddress.TryParse(text[1..^1], out literal) || literal.AddressFamily != AddressFamily.InterNetworkV6)
                throw new ArgumentException($"'{host}' is not a valid bracketed IPv6 address.", nameof(host));
            return literal.ToString();
        }
        if (text.Contains(':'))
        {
            if (!IPAddress.TryParse(text, out literal) || literal.AddressFamily != AddressFamily.InterNetworkV6)
                throw new ArgumentException($"'{host}' is not a valid IPv6 address.", nameof(host));
            return literal.ToString();
        }
        if (IsDottedQuad(text) && IPAddress.TryParse(text, out literal))
            return literal.ToString();

        literal = null;
        text = text.TrimEnd('.').ToLowerInvariant();
        // RFC 1035 §2.3.4: at most 253 characters in labels of 1 to 63; letters, digits, hyphens (and
        // underscores, which service names use).
        if (text.Length is 0 or > 253)
            throw new ArgumentException($"'{host}' is not a valid host name (length).", nameof(host));
        foreach (var range in text.AsSpan().Split('.'))
        {
            var label = text.AsSpan()[range];
            if (label.Length is 0 or > 63)
                throw new ArgumentException($"'{host}' is not a valid host name (empty or over-long label).", nameof(host));
            foreach (char c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_')
                    throw new ArgumentException($"'{host}' is not a valid host name (character '{c}').", nameof(host));
            }
        }
        return text;
    }

    private static bool IsDottedQuad(string text)
    {
        int dots = 0;
        foreach (char c in text)
        {
            if (c == '.')
                dots++;
            else if (!char.IsAsciiDigit(c))
                return false;
        }
        return dots == 3;
    }

    private async Task<DnsAnswer> QueryAsync(string name, ushort type, string host, CancellationToken cancellationToken)
    {
        if (_cache.TryGet(name, type, out var cached))
            return cached;

        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, (QueryType)type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // DnsClient reports a cancelled query as a transient error; it is a cancellation.
            throw new OperationCanceledException(cancellationToken);
        }
        catch (DnsResponseException ex) when (ex.Code == DnsResponseCode.ConnectionTimeout)
        {
            throw new SipResolutionException(SipResolutionError.Timeout, host,
                $"No DNS answer for {name} {TypeName(type)} within {_options.QueryTimeout.TotalMilliseconds:0} ms ({_options.Retries + 1} tries).", ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // DnsClient reports an unreadable answer (and its TCP retry of one) with several
            // exception types; a socket error means the server could not be reached at all.
            for (var inner = ex; inner is not null; inner = inner.InnerException)
            {
                if (inner is SocketException socketError)
                {
                    throw new SipResolutionException(SipResolutionError.ServerFailure, host,
                        $"DNS query {name} {TypeName(type)}: the name server could not be reached ({socketError.SocketErrorCode}).", ex);
                }
            }
            throw new SipResolutionException(SipResolutionError.MalformedResponse, host,
                $"The DNS answer for {name} {TypeName(type)} could not be read: {ex.Message}", ex);
        }

        var code = response.Header.ResponseCode;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
        {
            _cache.Add(name, type, DnsAnswer.Empty, _options.NegativeCacheTtl);
            return DnsAnswer.Empty;
        }
        if (code != DnsHeaderResponseCode.NoError)
        {
            throw new SipResolutionException(SipResolutionError.ServerFailure, host,
                $"DNS query {name} {TypeName(type)} answered {code}.");
        }
        if (response.Header.ResultTruncated)
        {
            throw new SipResolutionException(SipResolutionError.MalformedResponse, host,
                $"The DNS answer for {name} {TypeName(type)} was truncated and could not be fetched whole.");
        }

        var answer = ReadAnswer(response, type, out int minTtl);
        var ttl = answer == DnsAnswer.Empty
            ? _options.NegativeCacheTtl
            : TimeSpan.FromSeconds(Math.Min(minTtl, _options.MaxCacheTtl.TotalSeconds));
        _cache.Add(name, type, answer, ttl);
        return answer;
    }

    private static DnsAnswer ReadAnswer(IDnsQueryResponse response, ushort type, out int minTtl)
    {
        minTtl = int.MaxValue;
        var naptr = new List<NaptrEntry>();
        var srv = new List<SrvEntry>();
        var addresses = new List<IPAddress>();
        foreach (var record in response.Answers)
        {
            switch (record)
            {
                case NAPtrRecord n when type == TypeNaptr && naptr.Count < MaxNaptrRecords:
                    naptr.Add(new NaptrEntry((ushort)n.Order, (ushort)n.Preference, n.Flags ?? "", n.Services ?? "", n.RegularExpression ?? "", TrimDot(n.Replacement?.Value)));
                    break;
                case SrvRecord s when type == TypeSrv && srv.Count < MaxSrvRecords:
                    srv.Add(new SrvEntry(s.Priority, s.Weight, s.Port, TrimDot(s.Target?.Value)));
                    break;
                case ARecord a when type == TypeA:
                    addresses.Add(a.Address);
                    break;
                case AaaaRecord aaaa when type == TypeAaaa:
                    addresses.Add(aaaa.Address);
                    break;
                default:
                    continue;
            }
            minTtl = Math.Min(minTtl, Math.Max(0, record.TimeToLive));
        }
        return naptr.Count + srv.Count + addresses.Count == 0 ? DnsAnswer.Empty : new DnsAnswer(naptr, srv, addresses);
    }

    private static string TrimDot(string? name) => string.IsNullOrEmpty(name) ? "" : name.TrimEnd('.').ToLowerInvariant();

    private static string TypeName(ushort type) => type switch
    {
        TypeA => "A",
        TypeAaaa => "AAAA",
        TypeSrv => "SRV",
        TypeNaptr => "NAPTR",
        _ => type.ToString(CultureInfo.InvariantCulture),
    };

    private List<SrvEntry> OrderSrv(IReadOnlyList<SrvEntry> records)
    {
        lock (_randomLock)
            return SrvOrdering.Order(records, _random);
    }

    /// <summary>The state of one <see cref="ResolveAsync"/> call: targets so far, and the first hard error.</summary>
    private sealed class Resolution(SipTargetResolver resolver, string host, CancellationToken cancellationToken)
    {
        private readonly List<SipTarget> _targets = [];
        private readonly HashSet<(SipTargetTransport, IPEndPoint)> _seen = [];
        private SipResolutionException? _error;

        public bool IsEmpty => _targets.Count == 0;

        // After a timeout or a broken answer every further query would likely cost the same: stop,
        // and return what was found so far, so one resolution waits for at most one timeout.
        public bool Stopped => _error is not null || _targets.Count >= resolver._options.MaxTargets;

        public async Task AddNaptrAsync(string name, bool secure)
        {
            var answer = await QueryAsync(name, TypeNaptr).ConfigureAwait(false);
            var usable = answer.Naptr
                .Select(record => (record, transport: TransportOfService(record.Services, secure)))
                .Where(pair => pair.transport is { } t && resolver._options.Transports.Contains(t)
                    // RFC 3263 §4.1: SIP NAPTRs are terminal with flag "s" and use the replacement, not a regexp.
                    && pair.record.Flags.Equals("s", StringComparison.OrdinalIgnoreCase)
                    && pair.record.Regexp.Length == 0
                    && pair.record.Replacement.Length > 0)
                .OrderBy(pair => pair.record.Order)
                .ThenBy(pair => pair.record.Preference)
                .ToList();
            foreach (var (record, transport) in usable)
            {
                if (Stopped)
                    return;
                await AddSrvAsync(record.Replacement, transport!.Value).ConfigureAwait(false);
            }
        }

        public async Task AddSrvAsync(string srvName, SipTargetTransport transport)
        {
            var answer = await QueryAsync(srvName, TypeSrv).ConfigureAwait(false);
            foreach (var record in resolver.OrderSrv(answer.Srv))
            {
                if (Stopped)
                    return;
                // RFC 2782: a target of "." means the service is decidedly not available here.
                if (record.Target.Length == 0 || record.Port == 0)
                    continue;
                await AddHostAsync(record.Target, record.Port, transport).ConfigureAwait(false);
            }
        }

        public async Task AddHostAsync(string name, int port, SipTargetTransport transport)
        {
            var ipv4 = await QueryAsync(name, TypeA).ConfigureAwait(false);
            var ipv6 = resolver._options.UseIPv6 && !Stopped ? await QueryAsync(name, TypeAaaa).ConfigureAwait(false) : DnsAnswer.Empty;
            var (first, second) = resolver._options.PreferIPv6 ? (ipv6, ipv4) : (ipv4, ipv6);
            Add(first.Addresses, name, port, transport);
            Add(second.Addresses, name, port, transport);
        }

        public IReadOnlyList<SipTarget> Finish()
        {
            if (_targets.Count > 0)
                return _targets;
            if (_error is not null)
                throw _error;
            throw new SipResolutionException(SipResolutionError.NotFound, host,
                $"No NAPTR, SRV, A or AAAA records lead to a SIP target for {host}.");
        }

        private void Add(IReadOnlyList<IPAddress> addresses, string name, int port, SipTargetTransport transport)
        {
            foreach (var address in addresses)
            {
                if (_targets.Count >= resolver._options.MaxTargets)
                    return;
                var endpoint = new IPEndPoint(address, port);
                if (_seen.Add((transport, endpoint)))
                    _targets.Add(new SipTarget(transport, endpoint, name));
            }
        }

        private async Task<DnsAnswer> QueryAsync(string name, ushort type)
        {
            if (_error is not null)
                return DnsAnswer.Empty;
            try
            {
                return await resolver.QueryAsync(name, type, host, cancellationToken).ConfigureAwait(false);
            }
            catch (SipResolutionException ex)
            {
                _error = ex;
                return DnsAnswer.Empty;
            }
        }
    }
}
