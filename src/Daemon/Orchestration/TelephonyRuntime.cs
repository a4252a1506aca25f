using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Dialtone.Daemon.Api;
using Dialtone.Daemon.Config;
using Dialtone.Daemon.Demo;
using Dialtone.Daemon.Speech;
using Dialtone.Engine.Rtp.Media;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Dns;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;
using Dialtone.Engine.VoiceXml.Fetching;
using Dialtone.Engine.VoiceXml.Interpreter;
using Dialtone.Engine.VoiceXml.Media;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// Starts and owns the daemon's telephony: the SIP user agent and its trunks, the media engine, the
/// speech renderer, the voice interpreter's HTTP client, and in demo mode the built-in carrier that
/// the demo trunk points at. Disposing it stops all of them.
/// </summary>
public sealed class TelephonyRuntime : IDisposable
{
    private readonly HttpClient _http;
    private readonly DemoCarrier? _demoCarrier;

    private TelephonyRuntime(TelephonyServices services, HttpClient http, DemoCarrier? demoCarrier)
    {
        Services = services;
        _http = http;
        _demoCarrier = demoCarrier;
    }

    public TelephonyServices Services { get; }

    /// <summary>Builds and starts everything from the configuration.</summary>
    /// <exception cref="ConfigurationException">A listen address cannot be bound, or speech is unavailable.</exception>
    public static TelephonyRuntime Start(
        DaemonOptions options,
        OutboundAddressGuard guard,
        RecordingStore recordings,
        ApiLinks links,
        DemoCarrierHolder demoHolder,
        string dataDirectory,
        TimeProvider time,
        ILoggerFactory loggers)
    {
        ILogger logger = loggers.CreateLogger("Dialtone.Daemon.Telephony");
        bool demo = options.IsDemo;

        SpeechRenderer speech;
        try
        {
            speech = SpeechRenderer.Start();
        }
        catch (SpeechUnavailableException e)
        {
            throw new ConfigurationException("Speech", e.Message);
        }

        IPAddress rtpAddress = demo ? IPAddress.Loopback : ParseAddress(options.Rtp.ListenAddress, "Rtp:ListenAddress");
        var media = new MediaEngine(new MediaEngineOptions
        {
            FirstPort = options.Rtp.PortMin,
            LastPort = options.Rtp.PortMax,
        }, time);

        SipUserAgent agent;
        try
        {
            agent = StartUserAgent(options, demo, time, logger);
        }
        catch
        {
            media.Dispose();
            throw;
        }

        DemoCarrier? carrier = null;
        var trunks = new List<(SipTrunk, TrunkGate, CallerIdRules?)>();
        if (demo && options.Trunks.Count == 0)
        {
            carrier = new DemoCarrier(media, Path.Combine(dataDirectory, "demo-carrier"), loggers.CreateLogger("Dialtone.Daemon.DemoCarrier"), time);
            demoHolder.Carrier = carrier;
            SipTrunk demoTrunk = agent.AddTrunk(new SipTrunkOptions
            {
                Name = "demo",
                Host = carrier.EndPoint.Address.ToString(),
                Port = carrier.EndPoint.Port,
                Transport = SipTransportProtocol.Udp,
            });
            trunks.Add((demoTrunk, new TrunkGate(1000, 10_000, time), null));
            logger.LogInformation("demo carrier listening on sip:{EndPoint}", carrier.EndPoint);
        }
        foreach (TrunkOptions trunk in options.Trunks)
        {
            SipTrunk added = agent.AddTrunk(new SipTrunkOptions
            {
                Name = trunk.Name,
                Host = trunk.Host,
                Port = trunk.Port,
                AlternateTargets = [.. trunk.Alternates.Select(IPEndPoint.Parse)],
                Distribution = trunk.Distribution,
                Transport = trunk.Transport.Equals("tcp", StringComparison.OrdinalIgnoreCase) ? SipTransportProtocol.Tcp : SipTransportProtocol.Udp,
                Credentials = trunk.Username is null ? null : new DigestCredentials(trunk.Username, trunk.Password ?? "", trunk.Realm),
                KeepAliveInterval = TimeSpan.FromSeconds(30),
            });
            trunks.Add((added, new TrunkGate(trunk.Cps, trunk.MaxCalls, time), trunk.CallerId));
        }

        HttpClient http = VoiceDocumentFetcher.CreateHttpClient(guard);
        var services = new TelephonyServices
        {
            UserAgent = agent,
            Media = media,
            Trunks = new TrunkRouter(trunks),
            Speech = speech,
            MediaCache = new MediaCache(http, MediaCacheOptions.Default, time),
            Interpreter = new VoiceInterpreter(new VoiceDocumentFetcher(http, VoiceFetchOptions.Default, time), new VoiceInterpreterOptions
            {
                OnWarning = warning => logger.LogWarning("voice application: {Warning}", warning),
            }, time),
            Recordings = recordings,
            Links = links,
            Time = time,
            Logger = logger,
            RtpListenAddress = rtpAddress,
            AdvertisedMediaAddress = demo ? "127.0.0.1" : options.Rtp.AdvertisedAddress,
            MediaInactivity = options.Rtp.InactivityTimeoutSeconds > 0
                ? new MediaInactivityMonitor(TimeSpan.FromSeconds(options.Rtp.InactivityTimeoutSeconds), time, logger)
                : null,
        };
        logger.LogInformation("SIP listening on {EndPoint} (advertised {Host}:{Port}), RTP ports {First}-{Last} on {RtpAddress}",
            agent.LocalEndPoint, agent.AdvertisedHost, agent.AdvertisedPort, options.Rtp.PortMin, options.Rtp.PortMax, rtpAddress);
        return new TelephonyRuntime(services, http, carrier);
    }

    private static SipUserAgent StartUserAgent(DaemonOptions options, bool demo, TimeProvider time, ILogger logger)
    {
        IPAddress listen = demo ? IPAddress.Loopback : ParseAddress(options.Sip.ListenAddress, "Sip:ListenAddress");
        string? advertised = options.Sip.AdvertisedAddress;
        if (advertised is null && (listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any)))
            advertised = PrimaryAddress()?.ToString() ?? "127.0.0.1";
        bool tcp = options.Sip.Transports.Count == 0 || options.Sip.Transports.Any(t => t.Equals("tcp", StringComparison.OrdinalIgnoreCase));
        // Trunks named by host name are resolved by RFC 3263 (NAPTR, SRV, A/AAAA) with the
        // machine's name servers; IP trunks need no resolver, so none is made when there are none.
        IReadOnlyList<IPEndPoint> nameServers = SipTargetResolver.SystemNameServers();
        SipTargetResolver? resolver = nameServers.Count == 0 ? null : new SipTargetResolver(new SipTargetResolverOptions { NameServers = nameServers }, time);
        SipUserAgentOptions Make(int port) => new()
        {
            ListenEndPoint = new IPEndPoint(listen, port),
            EnableTcp = tcp,
            AdvertisedHost = advertised,
            Resolver = resolver,
        };
        try
        {
            return new SipUserAgent(Make(options.Sip.Port), time);
        }
        catch (SocketException e) when (demo && e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Demo mode must work on any machine: another SIP server on 5060 just moves us aside.
            logger.LogWarning("SIP port {Port} is in use; demo mode takes a free port instead", options.Sip.Port);
            return new SipUserAgent(Make(0), time);
        }
        catch (SocketException e)
        {
            throw new ConfigurationException("Sip:Port", $"cannot listen on {listen}:{options.Sip.Port}: {e.Message}");
        }
    }

    private static IPAddress ParseAddress(string text, string key) =>
        IPAddress.TryParse(text, out IPAddress? address) ? address : throw new ConfigurationException(key, $"'{text}' is not an IP address");

    /// <summary>The machine's first non-loopback IPv4 address on an interface that is up (for Via/Contact when listening on all addresses).</summary>
    private static IPAddress? PrimaryAddress()
    {
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                continue;
            foreach (UnicastIPAddressInformation unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                    return unicast.Address;
            }
        }
        return null;
    }

    public void Dispose()
    {
        Services.MediaInactivity?.Dispose();
        _demoCarrier?.Dispose();
        Services.UserAgent.Dispose();
        Services.Media.Dispose();
        _http.Dispose();
    }
}
