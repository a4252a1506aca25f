using System.Net;
using System.Text;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Dns;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Trunks;

/// <summary>
/// A trunk in use: its settings, the targets it resolves to (RFC 3263) with their health, the
/// address we present to it (Via, Contact, and the one the layer above should put in SDP), and
/// its reachability as seen by OPTIONS keep-alives. Made by <see cref="UserAgent.SipUserAgent.AddTrunk"/>.
/// </summary>
public sealed class SipTrunk
{
    private readonly SipTargetResolver? _resolver;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private IReadOnlyList<SipTrunkTarget>? _targets;
    private long _targetsExpire;
    private Task<IReadOnlyList<SipTrunkTarget>>? _resolving;
    private volatile bool _reachable = true;
    private long _keepAliveFailures;
    // RoundRobin: the targets' rotations, made once per resolution, and the turn of the next call.
    private TargetRotations? _rotations;
    private uint _turn;

    internal SipTrunk(SipTrunkOptions options, string advertisedHost, int advertisedPort, bool tcpAvailable, string contactUser,
        SipTargetResolver? resolver, TimeProvider time)
    {
        Options = options;
        _resolver = resolver;
        _time = time;
        AdvertisedHost = options.AdvertisedHost ?? advertisedHost;
        AdvertisedPort = options.AdvertisedPort ?? advertisedPort;
        TcpAvailable = tcpAvailable;
        string uriHost = SipTrunks.UriHost(AdvertisedHost);
        ViaHost = Encoding.ASCII.GetBytes(uriHost);
        ContactUdp = Encoding.ASCII.GetBytes($"<sip:{contactUser}@{uriHost}:{AdvertisedPort}>");
        ContactTcp = Encoding.ASCII.GetBytes($"<sip:{contactUser}@{uriHost}:{AdvertisedPort};transport=tcp>");
        FromHost = Encoding.ASCII.GetBytes(SipTrunks.UriHost(options.FromHost ?? options.Host));
        string portPart = options.Port is { } port ? ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        string transportPart = options.Transport == SipTransportProtocol.Tcp ? ";transport=tcp" : "";
        OptionsUri = Encoding.ASCII.GetBytes($"sip:{SipTrunks.UriHost(options.Host)}{portPart}{transportPart}");
        // One authenticator per trunk: it counts nonce uses (nc) across all calls (RFC 7616 §3.4).
        Authenticator = options.Credentials is null ? null : new DigestAuthenticator(options.Credentials);

        if (SipTrunks.AsAddress(options.Host) is { } literal)
        {
            var protocol = options.Transport ?? SipTransportProtocol.Udp;
            var transport = protocol == SipTransportProtocol.Tcp ? SipTargetTransport.Tcp : SipTargetTransport.Udp;
            var targets = new List<SipTrunkTarget>(1 + options.AlternateTargets.Count)
            {
                new(new SipTarget(transport, new IPEndPoint(literal, options.Port ?? 5060), options.Host), protocol),
            };
            foreach (IPEndPoint alternate in options.AlternateTargets)
                targets.Add(new SipTrunkTarget(new SipTarget(transport, alternate, alternate.Address.ToString()), protocol));
            _targets = targets;
            _targetsExpire = long.MaxValue;
        }
        else if (options.AlternateTargets.Count > 0)
        {
            throw new ArgumentException($"Trunk '{options.Name}': alternate targets need the host to be an IP address; a name's alternatives come from its SRV records.", nameof(options));
        }
        else if (resolver is null)
        {
            throw new ArgumentException($"Trunk '{options.Name}': host '{options.Host}' is a name, and the user agent has no resolver.", nameof(options));
        }
    }

    /// <summary>The settings.</summary>
    public SipTrunkOptions Options { get; }

    /// <summary>The trunk's name.</summary>
    public string Name => Options.Name;

    /// <summary>The host in our Via and Contact toward this trunk.</summary>
    public string AdvertisedHost { get; }

    /// <summary>The port in our Via and Contact toward this trunk.</summary>
    public int AdvertisedPort { get; }

    /// <summary>The address the layer above should put in SDP (c=, o=) for calls on this trunk (behind NAT: the public one).</summary>
    public string MediaAddress => AdvertisedHost;

    /// <summary>False after a keep-alive OPTIONS went unanswered or got 503; true again after an answer.</summary>
    public bool IsReachable => _reachable;

    /// <summary>Keep-alives that failed since the trunk was added.</summary>
    public long KeepAliveFailures => Interlocked.Read(ref _keepAliveFailures);

    /// <summary>The targets last resolved, best first (null before the first resolution of a named host).</summary>
    public IReadOnlyList<SipTrunkTarget>? Targets => Volatile.Read(ref _targets);

    internal bool TcpAvailable { get; }

    internal DigestAuthenticator? Authenticator { get; }

    internal byte[] ViaHost { get; }

    internal byte[] ContactUdp { get; }

    internal byte[] ContactTcp { get; }

    internal byte[] FromHost { get; }

    internal byte[] OptionsUri { get; }

    /// <summary>The targets for a new request, healthy ones first, when they are known and fresh.</summary>
    internal bool TryGetTargets(out IReadOnlyList<SipTrunkTarget> targets)
    {
        IReadOnlyList<SipTrunkTarget>? current = Volatile.Read(ref _targets);
        long now = _time.GetTimestamp();
        if (current is null || now >= Interlocked.Read(ref _targetsExpire))
        {
            targets = [];
            return false;
        }
        targets = OrderByHealth(InTurn(current), now);
        return true;
    }

    /// <summary>Resolves the host (one resolution at a time; concurrent callers share it).</summary>
    internal async Task<IReadOnlyList<SipTrunkTarget>> ResolveAsync()
    {
        if (TryGetTargets(out var known))
            return known;
        Task<IReadOnlyList<SipTrunkTarget>> task;
        lock (_lock)
            task = _resolving ??= ResolveCoreAsync();
        IReadOnlyList<SipTrunkTarget> resolved = await task.ConfigureAwait(false);
        return OrderByHealth(InTurn(resolved), _time.GetTimestamp());
    }

    private async Task<IReadOnlyList<SipTrunkTarget>> ResolveCoreAsync()
    {
        try
        {
            SipTargetTransport? transport = Options.Transport switch
            {
                SipTransportProtocol.Tcp => SipTargetTransport.Tcp,
                SipTransportProtocol.Udp => SipTargetTransport.Udp,
                _ => null,
            };
            IReadOnlyList<SipTarget> found = await _resolver!.ResolveAsync(Options.Host, Options.Port, transport).ConfigureAwait(false);
            var targets = new List<SipTrunkTarget>(found.Count);
            foreach (SipTarget target in found)
            {
                // TLS is not spoken here; TCP only when this user agent has it.
                if (target.Transport == SipTargetTransport.Udp)
                    targets.Add(new SipTrunkTarget(target, SipTransportProtocol.Udp));
                else if (target.Transport == SipTargetTransport.Tcp && TcpAvailable)
                    targets.Add(new SipTrunkTarget(target, SipTransportProtocol.Tcp));
            }
            if (targets.Count == 0)
                throw new SipResolutionException(SipResolutionError.NotFound, Options.Host, $"No UDP or TCP target found for trunk '{Name}' ({Options.Host}).");
            Volatile.Write(ref _targets, targets);
            Interlocked.Exchange(ref _targetsExpire, _time.GetTimestamp() + (long)(Options.TargetCacheTime.TotalSeconds * _time.TimestampFrequency));
            return targets;
        }
        finally
        {
            lock (_lock)
                _resolving = null;
        }
    }

    /// <summary>Avoid <paramref name="target"/> for a while: it timed out or answered 503 (RFC 3263 §4.3).</summary>
    internal void MarkFailed(SipTrunkTarget target, TimeSpan? holdDown = null)
    {
        TimeSpan duration = holdDown ?? Options.FailedTargetHoldDown;
        target.MarkFailed(_time.GetTimestamp() + (long)(duration.TotalSeconds * _time.TimestampFrequency));
        _resolver?.MarkFailed(target.Target, duration);
    }

    internal void MarkSucceeded(SipTrunkTarget target)
    {
        target.MarkSucceeded();
        _resolver?.MarkSucceeded(target.Target);
    }

    internal void ReportKeepAlive(bool answered)
    {
        if (!answered)
            Interlocked.Increment(ref _keepAliveFailures);
        _reachable = answered;
    }

    /// <summary>
    /// The targets in the order this call tries them: as resolved (failover), or, with
    /// <see cref="SipTrunkDistribution.RoundRobin"/>, starting one further along than the last call.
    /// The rotations are made once per resolution, so picking one allocates nothing.
    /// </summary>
    private IReadOnlyList<SipTrunkTarget> InTurn(IReadOnlyList<SipTrunkTarget> targets)
    {
        if (Options.Distribution != SipTrunkDistribution.RoundRobin || targets.Count < 2)
            return targets;
        TargetRotations? rotations = Volatile.Read(ref _rotations);
        if (rotations is null || !ReferenceEquals(rotations.Source, targets))
        {
            rotations = new TargetRotations(targets);
            Volatile.Write(ref _rotations, rotations);
        }
        uint turn = Interlocked.Increment(ref _turn) - 1;
        return rotations.Orders[(int)(turn % (uint)targets.Count)];
    }

    private static IReadOnlyList<SipTrunkTarget> OrderByHealth(IReadOnlyList<SipTrunkTarget> targets, long now)
    {
        bool anyFailed = false;
        foreach (SipTrunkTarget target in targets)
            anyFailed |= target.IsFailed(now);
        if (!anyFailed)
            return targets;
        var ordered = new List<SipTrunkTarget>(targets.Count);
        foreach (SipTrunkTarget target in targets)
        {
            if (!target.IsFailed(now))
                ordered.Add(target);
        }
        foreach (SipTrunkTarget target in targets)
        {
            if (target.IsFailed(now))
                ordered.Add(target);
        }
        return ordered;
    }

    /// <inheritdoc/>
    public override string ToString() => $"trunk {Name} ({Options.Host})";

    /// <summary>Every rotation of one resolved target list: order i starts at target i and wraps around.</summary>
    private sealed class TargetRotations
    {
        public TargetRotations(IReadOnlyList<SipTrunkTarget> source)
        {
            Source = source;
            Orders = new SipTrunkTarget[source.Count][];
            for (int start = 0; start < source.Count; start++)
            {
                var order = new SipTrunkTarget[source.Count];
                for (int i = 0; i < order.Length; i++)
                    order[i] = source[(start + i) % source.Count];
                Orders[start] = order;
            }
        }

        public IReadOnlyList<SipTrunkTarget> Source { get; }

        public SipTrunkTarget[][] Orders { get; }
    }
}
