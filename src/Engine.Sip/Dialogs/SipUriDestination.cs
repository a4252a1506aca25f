using System.Net;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Dialogs;

/// <summary>
/// Where a request to a SIP URI goes when the URI names an IP address: RFC 3263 §4 in its simple
/// cases (a numeric host needs no DNS; the port defaults to 5060; <c>transport=</c> picks the
/// transport). A URI naming a host returns false: the caller uses its resolved fallback.
/// </summary>
internal static class SipUriDestination
{
    private const int DefaultPort = 5060;

    public static bool TryGet(ReadOnlySpan<byte> uriText, SipTransportProtocol defaultProtocol, SipSocketAddressSlot slot, out SipDestination destination)
    {
        destination = default;
        if (!SipUri.TryParse(uriText, out SipUri uri) || !uri.IsSip)
            return false;
        SipTransportProtocol protocol = defaultProtocol;
        ReadOnlySpan<byte> transport = uri.Transport;
        if (!transport.IsEmpty && !SipTransportProtocols.TryParse(transport, out protocol))
            return false;
        int port = uri.HasPort ? uri.Port : DefaultPort;
        ReadOnlySpan<byte> host = uri.Host;
        Span<byte> octets = stackalloc byte[4];
        if (TryParseIPv4(host, octets))
        {
            destination = new SipDestination(protocol, slot.StoreIPv4(octets, port));
            return true;
        }
        if (host.Length > 2 && host[0] == (byte)'[' && IPAddress.TryParse(System.Text.Encoding.ASCII.GetString(host[1..^1]), out IPAddress? v6))
        {
            destination = new SipDestination(protocol, slot.Store(new IPEndPoint(v6, port)));
            return true;
        }
        return false;
    }

    private static bool TryParseIPv4(ReadOnlySpan<byte> host, Span<byte> octets)
    {
        int part = 0, value = 0, digits = 0;
        foreach (byte b in host)
        {
            if (b == (byte)'.')
            {
                if (digits == 0 || part == 3)
                    return false;
                octets[part++] = (byte)value;
                value = digits = 0;
                continue;
            }
            if ((uint)(b - '0') > 9 || ++digits > 3)
                return false;
            value = value * 10 + (b - '0');
            if (value > 255)
                return false;
        }
        if (part != 3 || digits == 0)
            return false;
        octets[3] = (byte)value;
        return true;
    }
}
