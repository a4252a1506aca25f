using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// Picks the trunk a leg goes out on and writes its Request-URI: a number becomes
/// <c>sip:+15551234567@trunk-host</c> (RFC 3261 §19.1.6 telephone-subscriber in a SIP URI); a
/// <c>sip:</c> URI is sent as is, through the trunk as outbound proxy. The first reachable trunk wins;
/// an unreachable one (OPTIONS keep-alive failing) is skipped while another is up.
/// </summary>
public sealed class TrunkRouter
{
    private readonly IReadOnlyList<(SipTrunk Trunk, TrunkGate Gate, Config.CallerIdRules? CallerIdRules)> _trunks;

    public TrunkRouter(IReadOnlyList<(SipTrunk Trunk, TrunkGate Gate, Config.CallerIdRules? CallerIdRules)> trunks)
    {
        if (trunks.Count == 0)
            throw new ArgumentException("at least one trunk is needed", nameof(trunks));
        _trunks = trunks;
    }

    /// <summary>The trunks, in order of preference.</summary>
    public IEnumerable<SipTrunk> Trunks => _trunks.Select(t => t.Trunk);

    /// <summary>The route for a leg to <paramref name="to"/> presenting <paramref name="callerId"/>, or null with the reason.</summary>
    public TrunkRoute? Route(string to, string callerId, out string? error)
    {
        var chosen = _trunks[0];
        foreach (var candidate in _trunks)
        {
            if (candidate.Trunk.IsReachable)
            {
                chosen = candidate;
                break;
            }
        }

        string? presented = chosen.CallerIdRules is { } rules ? rules.Resolve(callerId) : callerId;
        if (presented is null)
        {
            error = $"caller ID {callerId} is not allowed on trunk {chosen.Trunk.Name}";
            return null;
        }
        error = null;
        return new TrunkRoute(chosen.Trunk, RequestUriOf(to, chosen.Trunk), UserPartOf(presented), chosen.Gate);
    }

    /// <summary>The Request-URI for <paramref name="to"/> on <paramref name="trunk"/>.</summary>
    public static string RequestUriOf(string to, SipTrunk trunk)
    {
        if (to.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || to.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
            return to;
        string host = trunk.Options.Host.Contains(':') && !trunk.Options.Host.StartsWith('[') ? $"[{trunk.Options.Host}]" : trunk.Options.Host;
        string port = trunk.Options.Port is { } p ? ":" + p : "";
        return $"sip:{to}@{host}{port}";
    }

    /// <summary>The user part used in From for a caller ID given as a number or a <c>sip:</c> URI.</summary>
    public static string UserPartOf(string callerId)
    {
        if (!callerId.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) && !callerId.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
            return callerId;
        int colon = callerId.IndexOf(':', StringComparison.Ordinal);
        int at = callerId.IndexOf('@', StringComparison.Ordinal);
        return at > colon ? callerId[(colon + 1)..at] : "anonymous";
    }
}
