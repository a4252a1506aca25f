using System.Net;
using Dialtone.Engine.Sip.Dns;
using Dialtone.Engine.Sip.Timing;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;

namespace Dialtone.Engine.Sip.UserAgent;

/// <summary>Settings of a <see cref="SipUserAgent"/>.</summary>
public sealed class SipUserAgentOptions
{
    /// <summary>Address and port for UDP and TCP (port 0: an ephemeral port, for tests).</summary>
    public IPEndPoint ListenEndPoint { get; init; } = new(IPAddress.Loopback, 5060);

    /// <summary>Also listen and send on TCP (RFC 3261 §18: large requests move to TCP, §18.1.1).</summary>
    public bool EnableTcp { get; init; } = true;

    /// <summary>
    /// The host (name or IP) put in Via and Contact, and the address the layer above should put in
    /// SDP. Default: the listen address (which must then not be 0.0.0.0 for calls to work).
    /// </summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>The port put in Via and Contact; default: the bound port.</summary>
    public int? AdvertisedPort { get; init; }

    /// <summary>The user part of our Contact URI.</summary>
    public string ContactUser { get; init; } = "dialtone";

    /// <summary>The User-Agent / Server header value, or null for none.</summary>
    public string? UserAgentHeader { get; init; } = "Dialtone";

    /// <summary>T1, T2, T4 (RFC 3261 Table 4).</summary>
    public SipTimers Timers { get; init; } = SipTimers.Default;

    /// <summary>How long an incoming INVITE waits for the TU before 100 Trying is sent (RFC 3261 §17.2.1). Zero: at once.</summary>
    public TimeSpan TryingDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Resolves trunk host names (RFC 3263); needed only for trunks named by a host name.</summary>
    public SipTargetResolver? Resolver { get; init; }

    /// <summary>The UDP receive threads and other transport settings; the listen address comes from <see cref="ListenEndPoint"/>.</summary>
    public SipTransportOptions? Transport { get; init; }

    /// <summary>
    /// RFC 4028 as a UAS: the session interval (seconds) we ask for in our 2xx when the caller
    /// supports session timers and asked for none, or 0 to ask for none. Default 0.
    /// </summary>
    public int IncomingSessionExpires { get; init; }

    /// <summary>RFC 4028 §5: the smallest session interval we accept (seconds); smaller requests get 422. Default 90.</summary>
    public int MinSessionExpires { get; init; } = 90;

    /// <summary>RFC 4028 as a UAS: who refreshes when the caller leaves it to us: true for the caller (uac), false for us (uas).</summary>
    public bool IncomingRefresherIsCaller { get; init; } = true;

    /// <summary>Calls, transactions and buffers kept in pools for reuse.</summary>
    public int PoolCapacity { get; init; } = 65536;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenEndPoint);
        ArgumentNullException.ThrowIfNull(Timers);
        if (string.IsNullOrEmpty(ContactUser) || !ContactUser.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+'))
            throw new ArgumentException("ContactUser must be letters, digits, '-', '_', '.' or '+'.", nameof(ContactUser));
        if (AdvertisedPort is < 1 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(AdvertisedPort), AdvertisedPort, "AdvertisedPort must be 1-65535.");
        if (AdvertisedHost is not null && !SipTrunks.IsHost(AdvertisedHost))
            throw new ArgumentException($"AdvertisedHost '{AdvertisedHost}' is not a host name or IP address.", nameof(AdvertisedHost));
        if (UserAgentHeader is not null && (!System.Text.Ascii.IsValid(UserAgentHeader) || UserAgentHeader.AsSpan().IndexOfAny('\r', '\n') >= 0))
            throw new ArgumentException("UserAgentHeader must be one line of ASCII.", nameof(UserAgentHeader));
        if (IncomingSessionExpires != 0 && IncomingSessionExpires < MinSessionExpires)
            throw new ArgumentOutOfRangeException(nameof(IncomingSessionExpires), IncomingSessionExpires, "IncomingSessionExpires must be 0 or at least MinSessionExpires.");
        if (MinSessionExpires < 90)
            throw new ArgumentOutOfRangeException(nameof(MinSessionExpires), MinSessionExpires, "RFC 4028 §4: Min-SE is at least 90 seconds.");
    }
}
