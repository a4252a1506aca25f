using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Trunks;

/// <summary>Small checks shared by trunk and user agent settings.</summary>
public static class SipTrunks
{
    /// <summary>True for an IPv4 or IPv6 address (brackets allowed) or a syntactically valid host name.</summary>
    public static bool IsHost(string? host)
    {
        if (string.IsNullOrWhiteSpace(host) || host.Length > 253)
            return false;
        string text = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (IPAddress.TryParse(text, out IPAddress? address))
            return address.AddressFamily == AddressFamily.InterNetworkV6 || IsDottedQuad(text);
        foreach (string label in host.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63 || label.StartsWith('-') || label.EndsWith('-'))
                return false;
            foreach (char c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c != '-')
                    return false;
            }
        }
        return true;
    }

    /// <summary>The host as an IP address when it is one (brackets allowed), else null.</summary>
    public static IPAddress? AsAddress(string host)
    {
        string text = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(text, out IPAddress? address) && (address.AddressFamily == AddressFamily.InterNetworkV6 || IsDottedQuad(text))
            ? address
            : null;
    }

    /// <summary>The host as it goes in a URI: an IPv6 address in brackets.</summary>
    public static string UriHost(string host)
    {
        IPAddress? address = AsAddress(host);
        return address is { AddressFamily: AddressFamily.InterNetworkV6 } ? "[" + address + "]" : host;
    }

    private static bool IsDottedQuad(string text) => text.Count(c => c == '.') == 3 && text.All(c => c == '.' || char.IsAsciiDigit(c));
}
