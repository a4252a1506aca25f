using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Addressing;

/// <summary>Host and port syntax (RFC 3261 §25.1 hostport, RFC 5118 for IPv6 references).</summary>
internal static class SipHostSyntax
{
    /// <summary>
    /// True for a hostname, an IPv4 address or a bracketed IPv6 reference. When
    /// <paramref name="allowBareIPv6"/> is set an IPv6 address without brackets is accepted too
    /// (RFC 5118 §4.5: Via received= carries one that way).
    /// </summary>
    public static bool IsValidHost(ReadOnlySpan<byte> host, bool allowBareIPv6 = false)
    {
        if (host.IsEmpty)
            return false;
        if (host[0] == (byte)'[')
            return host.Length > 2 && host[^1] == (byte)']' && IsValidIPv6(host[1..^1]);
        // hostname / IPv4address: alphanum, '-' and '.', no empty label (a trailing dot is allowed).
        bool validLabels = SipCharTable.TryScanHostname(host, 0, out int end);
        if (end == host.Length)
            return validLabels;
        return allowBareIPv6 && IsValidIPv6(host);
    }

    /// <summary>For a span of hostname characters: no leading dot and no empty label.</summary>
    public static bool HasValidLabels(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty || host[0] == (byte)'.')
            return false;
        // Hop from dot to dot (a host has a handful): a dot right after a dot is an empty label.
        int i = host.IndexOf((byte)'.');
        while (i >= 0 && i + 1 < host.Length)
        {
            if (host[i + 1] == (byte)'.')
                return false;
            int next = host.Slice(i + 1).IndexOf((byte)'.');
            i = next < 0 ? -1 : i + 1 + next;
        }
        return true;
    }

    /// <summary>RFC 4291 §2.2 text form: eight groups, or fewer with one "::", optionally ending in IPv4.</summary>
    public static bool IsValidIPv6(ReadOnlySpan<byte> s)
    {
        if (s.Length < 2)
            return false;
        int groups = 0;
        bool compressed = false;
        int i = 0;
        if (s[0] == (byte)':')
        {
            if (s[1] != (byte)':')
                return false;
            compressed = true;
            i = 2;
            if (i == s.Length)
                return true;
        }
        while (i < s.Length)
        {
            int j = i;
            while (j < s.Length && SipCharTable.Is(s[j], SipCharClass.Hex))
                j++;
            if (j < s.Length && s[j] == (byte)'.')
            {
                if (!IsValidIPv4(s.Slice(i)))
                    return false;
                groups += 2;
                break;
            }
            if (j == i || j - i > 4)
                return false;
            groups++;
            i = j;
            if (i == s.Length)
                break;
            if (s[i] != (byte)':')
                return false;
            i++;
            if (i < s.Length && s[i] == (byte)':')
            {
                if (compressed)
                    return false;
                compressed = true;
                i++;
                if (i == s.Length)
                    break;
                // RFC 5118 §4.10: an RFC 3261 ABNF bug admits ":::" before an embedded IPv4
                // address; a robust parser reads it as "::".
                if (s[i] == (byte)':' && s.Slice(i + 1).Contains((byte)'.'))
                    i++;
            }
            else if (i == s.Length)
            {
                return false;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /// <summary>Four decimal octets 0-255 of one to three digits.</summary>
    public static bool IsValidIPv4(ReadOnlySpan<byte> s)
    {
        int parts = 0;
        int i = 0;
        while (true)
        {
            int j = i;
            int value = 0;
            while (j < s.Length && (uint)(s[j] - '0') <= 9 && j - i < 3)
            {
                value = value * 10 + (s[j] - '0');
                j++;
            }
            if (j == i || value > 255)
                return false;
            parts++;
            if (j == s.Length)
                return parts == 4;
            if (s[j] != (byte)'.' || parts == 4)
                return false;
            i = j + 1;
        }
    }
}
