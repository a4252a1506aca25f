using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>
/// A guard against server-side request forgery for every request whose URL a customer chose.
/// Plug <see cref="ConnectAsync"/> into <see cref="SocketsHttpHandler.ConnectCallback"/>: it resolves
/// the host itself, checks every address it got, and connects only to those checked addresses, so
/// a DNS answer cannot change between the check and the connect (no rebinding gap), and HTTP
/// redirects are checked too because each new connection goes through the callback.
/// </summary>
/// <remarks>
/// If any resolved address is forbidden the whole host is refused: a name that mixes a public
/// address with a metadata one is an attack, not a configuration. Proxies must be off on the
/// handler (<see cref="SocketsHttpHandler.UseProxy"/> = false), or the callback would vet the proxy
/// instead of the target.
/// </remarks>
public sealed class OutboundAddressGuard
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <param name="policy">Which ranges are allowed.</param>
    /// <param name="resolve">Host name resolution; <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/> by default (tests inject answers).</param>
    public OutboundAddressGuard(OutboundAddressPolicy policy, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
    {
        Policy = policy;
        _resolve = resolve ?? Dns.GetHostAddressesAsync;
    }

    public OutboundAddressPolicy Policy { get; }

    /// <summary>Classifies an address (IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry).</summary>
    public static AddressCategory Categorize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out var length);
        if (length == 4)
            return CategorizeV4(b[0], b[1], b[2], b[3]);

        if (address.Equals(IPAddress.IPv6Any))
            return AddressCategory.Unspecified;
        if (address.Equals(IPAddress.IPv6Loopback))
            return AddressCategory.Loopback;
        // fd00:ec2::254, the AWS metadata service over IPv6.
        if (address.Equals(AwsMetadataV6))
            return AddressCategory.Metadata;
        if (b[0] == 0xff)
            return AddressCategory.Multicast;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)
            return AddressCategory.LinkLocal;
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)
            return AddressCategory.Private; // fec0::/10, deprecated site-local (RFC 3879)
        if ((b[0] & 0xfe) == 0xfc)
            return AddressCategory.Private; // fc00::/7 unique local (RFC 4193)
        // IPv4-compatible (::a.b.c.d, deprecated) and NAT64 (64:ff9b::/96, RFC 6052) embed an IPv4
        // address a gateway may reach: judge them by that address.
        var embedsV4 = b[..12].IndexOfAnyExcept((byte)0) < 0
                       || (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0);
        if (embedsV4)
            return CategorizeV4(b[12], b[13], b[14], b[15]);
        return AddressCategory.Public;
    }

    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    private static AddressCategory CategorizeV4(byte a, byte b, byte c, byte d)
    {
        if (a == 169 && b == 254 && c == 169 && d == 254)
            return AddressCategory.Metadata; // AWS, GCP, Azure, OpenStack metadata
        if (a == 100 && b == 100 && c == 100 && d == 200)
            return AddressCategory.Metadata; // Alibaba Cloud metadata
        if (a == 0)
            return AddressCategory.Unspecified;
        if (a == 127)
            return AddressCategory.Loopback;
        if (a == 169 && b == 254)
            return AddressCategory.LinkLocal;
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168))
            return AddressCategory.Private;
        if (a == 100 && (b & 0xc0) == 64)
            return AddressCategory.Private; // 100.64/10 carrier-grade NAT
        if (a == 198 && (b & 0xfe) == 18)
            return AddressCategory.Private; // 198.18/15 benchmarking
        if (a >= 224 && a <= 239)
            return AddressCategory.Multicast;
        if (a >= 240)
            return AddressCategory.Reserved;
        return AddressCategory.Public;
    }

    /// <summary>True when <paramref name="address"/> may be connected to under <see cref="Policy"/>.</summary>
    public bool IsAllowed(IPAddress address) => Policy.Allows(Categorize(address));

    /// <summary>Resolves <paramref name="host"/> and returns its addresses if every one is allowed.</summary>
    /// <exception cref="OutboundAddressRefusedException">An address is forbidden.</exception>
    public async Task<IPAddress[]> ResolveAllowedAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await _resolve(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0)
            throw new SocketException((int)SocketError.HostNotFound);
        foreach (var address in addresses)
        {
            var category = Categorize(address);
            if (!Policy.Allows(category))
                throw new OutboundAddressRefusedException(host, address, category);
        }
        return addresses;
    }

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve, vet, then connect only to vetted addresses.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = await ResolveAllowedAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Dual-mode socket: tries each vetted address in turn, IPv4 and IPv6 alike.
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Builds a handler for customer URLs: this guard as connect callback, no proxy, no cookies.</summary>
    public SocketsHttpHandler CreateHandler(TimeSpan connectTimeout, int maxAutomaticRedirections) => new()
    {
        ConnectCallback = ConnectAsync,
        ConnectTimeout = connectTimeout,
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = maxAutomaticRedirections > 0,
        MaxAutomaticRedirections = Math.Max(1, maxAutomaticRedirections),
        AutomaticDecompression = DecompressionMethods.All,
        // Re-resolve now and then so a long-lived pool follows DNS changes (each new connection is vetted).
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxResponseHeadersLength = 64,
    };
}
