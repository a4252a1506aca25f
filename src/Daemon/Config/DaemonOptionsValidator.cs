using System.Globalization;
using System.Net;
using Dialtone.Daemon.Calls;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Config;

/// <summary>Checks every value of <see cref="DaemonOptions"/>; each problem names its key.</summary>
public static class DaemonOptionsValidator
{
    private static readonly string[] KnownCodecs = ["PCMU", "PCMA"];

    public static IReadOnlyList<ConfigurationError> Validate(DaemonOptions options)
    {
        var errors = new List<ConfigurationError>();
        void Fail(string key, string message) => errors.Add(new ConfigurationError(key, message));

        if (options.Node.Id is < 0 or > Sid.MaxNodeId)
            Fail("Node:Id", $"must be 0-{Sid.MaxNodeId} (it is written into call sids), got {options.Node.Id}");

        var api = options.Api;
        if (!IsHttpUrl(api.Listen))
            Fail("Api:Listen", $"must be an absolute http:// or https:// URL with a host, got '{api.Listen}'");
        if (api.PublicUrl is not null && !IsHttpUrl(api.PublicUrl))
            Fail("Api:PublicUrl", $"must be an absolute http:// or https:// URL, got '{api.PublicUrl}'");
        if (api.MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
            Fail("Api:MaxBodyBytes", $"must be 1024-16777216 bytes, got {api.MaxBodyBytes}");
        if (api.MaxPageSize is < 1 or > 10_000)
            Fail("Api:MaxPageSize", $"must be 1-10000, got {api.MaxPageSize}");
        if (api.DefaultPageSize < 1 || api.DefaultPageSize > api.MaxPageSize)
            Fail("Api:DefaultPageSize", $"must be 1-{api.MaxPageSize} (Api:MaxPageSize), got {api.DefaultPageSize}");

        if (options.Limits.MaxActiveCallsPerAccount < 1)
            Fail("Limits:MaxActiveCallsPerAccount", $"must be at least 1, got {options.Limits.MaxActiveCallsPerAccount}");
        if (options.Limits.MaxQueuedCallsPerAccount < 0)
            Fail("Limits:MaxQueuedCallsPerAccount", $"must be 0 or more, got {options.Limits.MaxQueuedCallsPerAccount}");

        var sip = options.Sip;
        if (!IPAddress.TryParse(sip.ListenAddress, out _))
            Fail("Sip:ListenAddress", $"must be an IP address, got '{sip.ListenAddress}'");
        if (sip.Port is < 0 or > 65535)
            Fail("Sip:Port", $"must be 0-65535, got {sip.Port}");
        for (var i = 0; i < sip.Transports.Count; i++)
        {
            if (sip.Transports[i] is not ("udp" or "tcp"))
                Fail($"Sip:Transports:{i}", $"must be udp or tcp, got '{sip.Transports[i]}'");
        }
        if (sip.Transports.Distinct(StringComparer.Ordinal).Count() != sip.Transports.Count)
            Fail("Sip:Transports", "lists a transport twice");
        if (sip.AdvertisedAddress is not null && !IsHost(sip.AdvertisedAddress))
            Fail("Sip:AdvertisedAddress", $"must be a host name or IP address, got '{sip.AdvertisedAddress}'");

        var rtp = options.Rtp;
        if (!IPAddress.TryParse(rtp.ListenAddress, out _))
            Fail("Rtp:ListenAddress", $"must be an IP address, got '{rtp.ListenAddress}'");
        if (rtp.PortMin is < 1024 or > 65534 || rtp.PortMin % 2 != 0)
            Fail("Rtp:PortMin", $"must be an even port 1024-65534 (RTP uses even ports, RFC 3550 §11), got {rtp.PortMin}");
        if (rtp.PortMax is < 1025 or > 65535 || rtp.PortMax <= rtp.PortMin + 1)
            Fail("Rtp:PortMax", $"must be above Rtp:PortMin + 1 and at most 65535, got {rtp.PortMax}");
        if (rtp.AdvertisedAddress is not null && !IPAddress.TryParse(rtp.AdvertisedAddress, out _))
            Fail("Rtp:AdvertisedAddress", $"must be an IP address (it goes into SDP c= lines), got '{rtp.AdvertisedAddress}'");
        if (rtp.InactivityTimeoutSeconds < 0)
            Fail("Rtp:InactivityTimeoutSeconds", $"must not be negative (0 turns the media timeout off), got {Num(rtp.InactivityTimeoutSeconds)}");
        else if (double.IsNaN(rtp.InactivityTimeoutSeconds) || rtp.InactivityTimeoutSeconds is > 0 and < 1 or > 86_400)
            Fail("Rtp:InactivityTimeoutSeconds", $"must be 0 (off) or 1-86400 seconds (legs are checked once a second), got {Num(rtp.InactivityTimeoutSeconds)}");

        if (options.Storage.DataDirectory is { } data && data.IndexOfAny(['\0']) >= 0)
            Fail("Storage:DataDirectory", "is not a valid path");

        var cb = options.Callbacks;
        if (cb.Workers is < 1 or > 1024)
            Fail("Callbacks:Workers", $"must be 1-1024, got {cb.Workers}");
        Positive("Callbacks:RequestTimeoutSeconds", cb.RequestTimeoutSeconds, 600);
        Positive("Callbacks:ConnectTimeoutSeconds", cb.ConnectTimeoutSeconds, 600);
        Positive("Callbacks:InitialBackoffSeconds", cb.InitialBackoffSeconds, 86_400);
        Positive("Callbacks:MaxBackoffSeconds", cb.MaxBackoffSeconds, 86_400);
        if (cb.MaxBackoffSeconds < cb.InitialBackoffSeconds)
            Fail("Callbacks:MaxBackoffSeconds", $"must not be below Callbacks:InitialBackoffSeconds ({Num(cb.InitialBackoffSeconds)}), got {Num(cb.MaxBackoffSeconds)}");
        if (cb.MaxAttempts is < 1 or > 1000)
            Fail("Callbacks:MaxAttempts", $"must be 1-1000, got {cb.MaxAttempts}");
        Positive("Callbacks:MaxAgeSeconds", cb.MaxAgeSeconds, 30 * 86_400);

        if (options.Shutdown.GracePeriodSeconds is < 0 or > 3600 || double.IsNaN(options.Shutdown.GracePeriodSeconds))
            Fail("Shutdown:GracePeriodSeconds", $"must be 0-3600, got {Num(options.Shutdown.GracePeriodSeconds)}");

        if (!Enum.TryParse<LogLevel>(options.Logging.Level, ignoreCase: true, out var level) || level == LogLevel.None)
            Fail("Logging:Level", $"must be Trace, Debug, Information, Warning, Error or Critical, got '{options.Logging.Level}'");
        if (options.Logging.Format is not ("json" or "text"))
            Fail("Logging:Format", $"must be json or text, got '{options.Logging.Format}'");

        ValidateAccounts(options, Fail);
        ValidateTrunks(options, Fail);
        return errors;

        void Positive(string key, double value, double max)
        {
            if (!(value > 0 && value <= max))
                Fail(key, $"must be above 0 and at most {Num(max)}, got {Num(value)}");
        }
    }

    private static void ValidateAccounts(DaemonOptions options, Action<string, string> fail)
    {
        if (options.Accounts.Count == 0 && !options.IsDemo)
            fail("Accounts", "at least one account with a key is required (only demo mode creates one by itself)");
        var sids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Accounts.Count; i++)
        {
            var account = options.Accounts[i];
            var prefix = $"Accounts:{i}";
            if (!Sid.IsAccountSid(account.Sid))
                fail($"{prefix}:Sid", $"must be AC followed by 32 hex digits, got '{account.Sid}'");
            else if (!sids.Add(account.Sid))
                fail($"{prefix}:Sid", $"account {account.Sid} is configured twice");
            if (account.Keys.Count == 0)
                fail($"{prefix}:Keys", "needs at least one API key");
            for (var k = 0; k < account.Keys.Count; k++)
            {
                // Never echo a key in an error: the message would end up in a log.
                var key = account.Keys[k];
                if (key.Length < 16)
                    fail($"{prefix}:Keys:{k}", $"is too short ({key.Length} characters; at least 16)");
                else if (key.Any(c => c <= ' ' || c >= 0x7f))
                    fail($"{prefix}:Keys:{k}", "may only hold printable ASCII without spaces");
                else if (!keys.Add(key))
                    fail($"{prefix}:Keys:{k}", "is used by another account or twice in this one");
            }
            if (account.MaxActiveCalls is < 1)
                fail($"{prefix}:MaxActiveCalls", $"must be at least 1, got {account.MaxActiveCalls}");
            if (account.MaxQueuedCalls is < 0)
                fail($"{prefix}:MaxQueuedCalls", $"must be 0 or more, got {account.MaxQueuedCalls}");
        }
    }

    private static void ValidateTrunks(DaemonOptions options, Action<string, string> fail)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Trunks.Count; i++)
        {
            var trunk = options.Trunks[i];
            var prefix = $"Trunks:{i}";
            if (string.IsNullOrWhiteSpace(trunk.Name))
                fail($"{prefix}:Name", "is required");
            else if (!names.Add(trunk.Name))
                fail($"{prefix}:Name", $"trunk '{trunk.Name}' is configured twice");
            if (string.IsNullOrWhiteSpace(trunk.Host) || !IsHost(trunk.Host))
                fail($"{prefix}:Host", $"must be a host name or IP address, got '{trunk.Host}'");
            if (trunk.Port is < 1 or > 65535)
                fail($"{prefix}:Port", $"must be 1-65535, got {trunk.Port}");
            for (var a = 0; a < trunk.Alternates.Count; a++)
            {
                if (!IPEndPoint.TryParse(trunk.Alternates[a], out var alternate) || alternate.Port == 0)
                    fail($"{prefix}:Alternates:{a}", $"must be IP:port (an IPv6 address in brackets), got '{trunk.Alternates[a]}'");
            }
            if (trunk.Alternates.Count > 0 && !IPAddress.TryParse(trunk.Host.Trim('[', ']'), out _))
                fail($"{prefix}:Alternates", "need Host to be an IP address (a host name's alternatives come from its DNS SRV records)");
            // The binder takes a number as well as a name; only the named ones mean anything.
            if (!Enum.IsDefined(trunk.Distribution))
                fail($"{prefix}:Distribution", $"must be Failover or RoundRobin, got '{trunk.Distribution}'");
            if (trunk.Transport is not ("udp" or "tcp"))
                fail($"{prefix}:Transport", $"must be udp or tcp, got '{trunk.Transport}'");
            if (string.IsNullOrEmpty(trunk.Username) != string.IsNullOrEmpty(trunk.Password))
                fail(string.IsNullOrEmpty(trunk.Username) ? $"{prefix}:Username" : $"{prefix}:Password",
                    "Username and Password go together (digest auth, RFC 3261 §22)");
            for (var c = 0; c < trunk.Codecs.Count; c++)
            {
                if (!KnownCodecs.Contains(trunk.Codecs[c], StringComparer.OrdinalIgnoreCase))
                    fail($"{prefix}:Codecs:{c}", $"must be PCMU or PCMA, got '{trunk.Codecs[c]}'");
            }
            if (trunk.Codecs.Distinct(StringComparer.OrdinalIgnoreCase).Count() != trunk.Codecs.Count)
                fail($"{prefix}:Codecs", "lists a codec twice");
            if (!(trunk.Cps > 0 && trunk.Cps <= 10_000))
                fail($"{prefix}:Cps", $"must be above 0 and at most 10000, got {Num(trunk.Cps)}");
            if (trunk.MaxCalls is < 1 or > 1_000_000)
                fail($"{prefix}:MaxCalls", $"must be 1-1000000, got {trunk.MaxCalls}");
            for (var a = 0; a < trunk.CallerId.Allow.Count; a++)
            {
                var pattern = trunk.CallerId.Allow[a];
                var body = pattern.EndsWith('*') ? pattern[..^1].TrimStart('+') : pattern.TrimStart('+');
                var ok = pattern.EndsWith('*') ? body.All(char.IsAsciiDigit) : CallAddress.IsValid(pattern);
                if (!ok)
                    fail($"{prefix}:CallerId:Allow:{a}", $"must be a number, a sip: URI, or a digit prefix ending in * (like +1949*), got '{pattern}'");
            }
            if (trunk.CallerId.Default is { } fallback && !CallAddress.IsValid(fallback))
                fail($"{prefix}:CallerId:Default", $"must be a number (+?3-15 digits) or a sip: URI, got '{fallback}'");
        }
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    private static bool IsHost(string text) => Uri.CheckHostName(text.Trim('[', ']')) != UriHostNameType.Unknown;

    private static string Num(double value) => value.ToString(CultureInfo.InvariantCulture);
}
