namespace Dialtone.Daemon.Calls;

/// <summary>What <c>from</c> and <c>to</c> may be: an E.164-style number or a SIP URI.</summary>
public static class CallAddress
{
    /// <summary>3–15 digits (E.164's maximum, ITU-T E.164 §6.1), optionally after a <c>+</c>.</summary>
    public static bool IsPhoneNumber(ReadOnlySpan<char> text)
    {
        if (text.StartsWith('+'))
            text = text[1..];
        if (text.Length is < 3 or > 15)
            return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    /// <summary>
    /// A <c>sip:</c> or <c>sips:</c> URI (RFC 3261 §19.1): an optional user part, a host name, IPv4
    /// or bracketed IPv6 address, an optional port, and optional parameters; no spaces or controls.
    /// </summary>
    public static bool IsSipUri(string text)
    {
        string rest;
        if (text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase))
            rest = text[4..];
        else if (text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
            rest = text[5..];
        else
            return false;
        if (rest.Length is 0 or > 500 || rest.Any(c => c <= ' ' || c >= 0x7f || c is '<' or '>' or '"'))
            return false;
        var at = rest.LastIndexOf('@');
        if (at == 0)
            return false;
        var hostPort = rest[(at + 1)..];
        var end = hostPort.IndexOfAny([';', '?']);
        if (end >= 0)
            hostPort = hostPort[..end];
        string host;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']');
            if (close < 0)
                return false;
            host = hostPort[1..close];
            var after = hostPort[(close + 1)..];
            if (after.Length > 0 && !IsPort(after))
                return false;
            return Uri.CheckHostName(host) == UriHostNameType.IPv6;
        }
        var colon = hostPort.IndexOf(':');
        host = colon < 0 ? hostPort : hostPort[..colon];
        if (colon >= 0 && !IsPort(hostPort[colon..]))
            return false;
        return host.Length > 0 && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4;
    }

    public static bool IsValid(string text) => IsPhoneNumber(text) || IsSipUri(text);

    private static bool IsPort(string colonAndPort) =>
        colonAndPort.Length is > 1 and <= 6 && colonAndPort[0] == ':' && colonAndPort[1..].All(char.IsAsciiDigit)
        && int.Parse(colonAndPort[1..], System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 65535;
}
