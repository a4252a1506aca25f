using System.Runtime.CompilerServices;
using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Addressing;

/// <summary>
/// A SIP, SIPS or tel URI read from a span (RFC 3261 §19.1, §25.1; RFC 3966), or any other
/// absolute URI kept opaque. The view holds the URI span and offsets into it; every part is a
/// slice of the original bytes. %-escapes are kept and resolved only when comparing (RFC 3261
/// §19.1.4).
/// </summary>
public ref struct SipUri
{
    private static readonly SearchValues<byte> s_opaqueForbidden = SearchValues.Create(" \t\r\n<>\"\0"u8);

    private ReadOnlySpan<byte> _raw;
    private SipUriScheme _scheme;
    private bool _hasPassword;
    private int _schemeLength;
    private int _userStart, _userLength;
    private int _passwordStart, _passwordLength;
    private int _hostStart, _hostLength;
    private int _port;
    private int _paramsStart, _paramsLength;
    private int _headersStart, _headersLength;

    /// <summary>The whole URI.</summary>
    public readonly ReadOnlySpan<byte> Raw => _raw;

    /// <summary>The scheme.</summary>
    public readonly SipUriScheme Scheme => _scheme;

    /// <summary>The scheme as written (e.g. "sip").</summary>
    public readonly ReadOnlySpan<byte> SchemeText => _raw.Slice(0, _schemeLength);

    /// <summary>The user part (escapes kept); for tel URIs the telephone number; empty when absent.</summary>
    public readonly ReadOnlySpan<byte> User => _raw.Slice(_userStart, _userLength);

    /// <summary>The password (discouraged by RFC 3261 §19.1.1 but parsed).</summary>
    public readonly ReadOnlySpan<byte> Password => _raw.Slice(_passwordStart, _passwordLength);

    /// <summary>True when the userinfo had ":password".</summary>
    public readonly bool HasPassword => _hasPassword;

    /// <summary>The host; an IPv6 reference keeps its brackets. Empty for tel and opaque URIs.</summary>
    public readonly ReadOnlySpan<byte> Host => _raw.Slice(_hostStart, _hostLength);

    /// <summary>The explicit port, or -1 when the URI has none.</summary>
    public readonly int Port => _port;

    /// <summary>True when an explicit port was given.</summary>
    public readonly bool HasPort => _port >= 0;

    /// <summary>URI parameters (";transport=udp;lr").</summary>
    public readonly SipParameters Parameters => new(_raw.Slice(_paramsStart, _paramsLength), uriStyle: true);

    /// <summary>The header part after '?', without the '?'; empty when absent.</summary>
    public readonly ReadOnlySpan<byte> Headers => _raw.Slice(_headersStart, _headersLength);

    /// <summary>The opaque part after "scheme:" (meaningful for <see cref="SipUriScheme.Other"/>).</summary>
    public readonly ReadOnlySpan<byte> Opaque => _raw.IsEmpty ? default : _raw.Slice(_schemeLength + 1);

    /// <summary>True for sip: and sips:.</summary>
    public readonly bool IsSip => _scheme is SipUriScheme.Sip or SipUriScheme.Sips;

    /// <summary>The transport parameter, or empty.</summary>
    public readonly ReadOnlySpan<byte> Transport => Parameters.TryGetValue("transport"u8, out var v) ? v : default;

    /// <summary>The maddr parameter, or empty.</summary>
    public readonly ReadOnlySpan<byte> MAddr => Parameters.TryGetValue("maddr"u8, out var v) ? v : default;

    /// <summary>True when the URI carries the loose-routing "lr" parameter (RFC 3261 §19.1.1).</summary>
    public readonly bool IsLooseRouting => Parameters.Contains("lr"u8);

    /// <summary>Parses a whole URI span; false when it is malformed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryParse(ReadOnlySpan<byte> uri, out SipUri result)
    {
        result = default;
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3261 §25.1). ':' is not a scheme
        // character, so the scan stops at the first colon or earlier; anything but a colon there
        // means a bad scheme or no colon at all. "sip:" itself is common enough to check first.
        int colon = IsSipColon(uri) ? 3 : SipCharTable.Scan(uri, 0, SipCharClass.Scheme);
        if (colon == 0 || colon >= uri.Length || uri[colon] != (byte)':' || (uint)((uri[0] | 0x20) - 'a') > 'z' - 'a')
            return false;
        ReadOnlySpan<byte> scheme = uri.Slice(0, colon);
        result._raw = uri;
        result._schemeLength = colon;
        result._port = -1;
        // Scheme names are case-insensitive (RFC 3261 §19.1.1); OR 0x20 lowers ASCII letters.
        if (colon == 3 && (scheme[0] | 0x20) == 's' && (scheme[1] | 0x20) == 'i' && (scheme[2] | 0x20) == 'p')
        {
            result._scheme = SipUriScheme.Sip;
            return ParseSip(uri, colon + 1, ref result);
        }
        if (colon == 4 && Ascii.EqualsIgnoreCase(scheme, "sips"u8))
        {
            result._scheme = SipUriScheme.Sips;
            return ParseSip(uri, colon + 1, ref result);
        }
        if (colon == 3 && Ascii.EqualsIgnoreCase(scheme, "tel"u8))
        {
            result._scheme = SipUriScheme.Tel;
            return ParseTel(uri, colon + 1, ref result);
        }
        ReadOnlySpan<byte> rest = uri.Slice(colon + 1);
        if (rest.IsEmpty || rest.ContainsAny(s_opaqueForbidden))
            return false;
        result._scheme = SipUriScheme.Other;
        return true;
    }

    // "sip:" in any case: OR 0x20 lowers the letters and leaves ':' alone.
    private static bool IsSipColon(ReadOnlySpan<byte> uri) =>
        uri.Length >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(uri) | 0x00202020u) == 0x3A706973u;

    // One walk: userinfo (when there is an '@'), host, port, parameters, headers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ParseSip(ReadOnlySpan<byte> uri, int i, ref SipUri result)
    {
        int n = uri.Length;
        // Escapes are checked where they are allowed (userinfo, parameters); most URIs have none
        // at all, which one search of the whole URI tells.
        bool escaped = uri.Contains((byte)'%');
        // userinfo = user [ ":" password ] "@" (RFC 3261 §25.1). '@' is neither a user nor a
        // password character, so the user scan stops at or before the first '@': right on it (or on
        // the '@' after a password) there is a userinfo. '@' is not allowed in host, parameters or
        // headers either, so an '@' anywhere else makes the URI malformed; no '@' at all means the
        // URI starts with the host.
        int userEnd = SipCharTable.Scan(uri, i, SipCharClass.User);
        if ((uint)userEnd < (uint)n && uri[userEnd] == (byte)'@')
        {
            // user "@" host, the usual form.
            if (userEnd == i)
                return false; // user is 1*( unreserved / escaped / user-unreserved )
            result._userStart = i;
            result._userLength = userEnd - i;
            if (escaped && !SipSyntax.HasValidEscapes(uri.Slice(i, userEnd - i)))
                return false;
            i = userEnd + 1;
        }
        else
        {
            i = ParsePasswordOrNoUserinfo(uri, i, userEnd, escaped, ref result);
            if (i < 0)
                return false;
        }

        int hostStart = i;
        if (i < n && uri[i] == (byte)'[')
        {
            int close = uri.Slice(i).IndexOf((byte)']');
            if (close < 2 || !SipHostSyntax.IsValidIPv6(uri.Slice(i + 1, close - 1)))
                return false;
            i += close + 1;
        }
        else
        {
            i = SipCharTable.ScanHostname(uri, i);
            if (i < 0)
                return false; // hostname / IPv4address: alphanum, '-', '.', no empty label.
        }
        result._hostStart = hostStart;
        result._hostLength = i - hostStart;

        if (i < n && uri[i] == (byte)':')
        {
            int digitsStart = ++i;
            int value = 0;
            while (i < n && (uint)(uri[i] - '0') <= 9 && i - digitsStart < 5)
                value = value * 10 + (uri[i++] - '0');
            if (i == digitsStart || value > 65535)
                return false;
            result._port = value;
        }
        return ParseParametersAndHeaders(uri, i, escaped, ref result);
    }

    // The rest of the userinfo when the user scan did not stop on '@': a password, or no userinfo
    // at all. Returns where the host starts, or -1 when the URI is malformed.
    private static int ParsePasswordOrNoUserinfo(ReadOnlySpan<byte> uri, int userStart, int userEnd, bool escaped, ref SipUri result)
    {
        int n = uri.Length;
        if (userEnd < n && uri[userEnd] == (byte)':')
        {
            int passwordEnd = SipCharTable.Scan(uri, userEnd + 1, SipCharClass.Password);
            if (passwordEnd < n && uri[passwordEnd] == (byte)'@')
            {
                if (userEnd == userStart)
                    return -1;
                result._userStart = userStart;
                result._userLength = userEnd - userStart;
                result._hasPassword = true;
                result._passwordStart = userEnd + 1;
                result._passwordLength = passwordEnd - userEnd - 1;
                if (escaped && !SipSyntax.HasValidEscapes(uri.Slice(userStart, passwordEnd - userStart)))
                    return -1;
                return passwordEnd + 1;
            }
            return uri.Slice(passwordEnd).Contains((byte)'@') ? -1 : userStart;
        }
        return userEnd < n && uri.Slice(userEnd).Contains((byte)'@') ? -1 : userStart;
    }

    private static bool ParseTel(ReadOnlySpan<byte> uri, int i, ref SipUri result)
    {
        int end = SipCharTable.Scan(uri, i, SipCharClass.Tel);
        if (end == i)
            return false;
        result._userStart = i;
        result._userLength = end - i;
        return ParseParametersAndHeaders(uri, end, escaped: true, ref result);
    }

    // uri-parameters = *( ";" pname [ "=" pvalue ] ), both 1*paramchar; then [ "?" headers ].
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ParseParametersAndHeaders(ReadOnlySpan<byte> uri, int i, bool escaped, ref SipUri result)
    {
        int n = uri.Length;
        int paramsStart = i;
        while (i < n && uri[i] == (byte)';')
        {
            int nameStart = ++i;
            i = SipCharTable.Scan(uri, i, SipCharClass.UriParam);
            if (i == nameStart)
                return false;
            if (i < n && uri[i] == (byte)'=')
            {
                int valueStart = ++i;
                i = SipCharTable.Scan(uri, i, SipCharClass.UriParam);
                if (i == valueStart)
                    return false;
            }
        }
        result._paramsStart = paramsStart;
        result._paramsLength = i - paramsStart;
        if (escaped && i > paramsStart && !SipSyntax.HasValidEscapes(uri.Slice(paramsStart, i - paramsStart)))
            return false;
        if (i < n)
        {
            if (uri[i] != (byte)'?')
                return false;
            result._headersStart = i + 1;
            result._headersLength = n - i - 1;
            if (!IsValidHeaders(uri.Slice(i + 1)))
                return false;
        }
        return true;
    }

    // headers = header *( "&" header ); header = hname "=" hvalue; hname non-empty.
    private static bool IsValidHeaders(ReadOnlySpan<byte> h)
    {
        if (h.IsEmpty || !SipCharTable.All(h, SipCharClass.UriHeader) || !SipSyntax.HasValidEscapes(h))
            return false;
        foreach (Range r in h.Split((byte)'&'))
        {
            ReadOnlySpan<byte> header = h[r];
            int eq = header.IndexOf((byte)'=');
            if (eq <= 0)
                return false;
        }
        return true;
    }

    /// <summary>
    /// URI equality per RFC 3261 §19.1.4: schemes must match; user and password compare
    /// case-sensitively, everything else case-insensitively, escapes resolved; an explicit port
    /// never equals an absent one; parameters present in both must match; user, ttl, method and
    /// maddr present in only one make the URIs differ, other one-sided parameters are ignored;
    /// header components must match as sets.
    /// </summary>
    public readonly bool EqualsUri(in SipUri other)
    {
        if (Scheme != other.Scheme)
            return false;
        if (Scheme == SipUriScheme.Other)
            return Ascii.EqualsIgnoreCase(SchemeText, other.SchemeText) && SipSyntax.EscapedEquals(Opaque, other.Opaque, ignoreCase: false);
        if (Scheme == SipUriScheme.Tel)
        {
            // RFC 3966 §4: numbers compare without visual separators, parameters as a set.
            if (!TelNumberEquals(User, other.User))
                return false;
        }
        else
        {
            if (!SipSyntax.EscapedEquals(User, other.User, ignoreCase: false)
                || HasPassword != other.HasPassword
                || !SipSyntax.EscapedEquals(Password, other.Password, ignoreCase: false)
                || !SipSyntax.EscapedEquals(Host, other.Host, ignoreCase: true)
                || Port != other.Port)
                return false;
        }
        return ParametersMatch(Parameters, other.Parameters) && ParametersMatch(other.Parameters, Parameters)
            && HeadersContained(Headers, other.Headers) && HeadersContained(other.Headers, Headers);
    }

    private static bool ParametersMatch(SipParameters a, SipParameters b)
    {
        foreach (SipParameter p in a)
        {
            // RFC 3261 leaves a repeated parameter undefined; both sides use the first occurrence,
            // so comparison stays symmetric and a URI always equals itself.
            if (b.TryGetValue(p.Name, out var otherValue))
            {
                a.TryGetValue(p.Name, out var value);
                if (!SipSyntax.EscapedEquals(value, otherValue, ignoreCase: true))
                    return false;
            }
            else if (IsNameOneOf(p.Name))
            {
                return false;
            }
        }
        return true;

        static bool IsNameOneOf(ReadOnlySpan<byte> name) =>
            SipSyntax.EscapedEquals(name, "user"u8, true) || SipSyntax.EscapedEquals(name, "ttl"u8, true)
            || SipSyntax.EscapedEquals(name, "method"u8, true) || SipSyntax.EscapedEquals(name, "maddr"u8, true);
    }

    private static bool HeadersContained(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.IsEmpty)
            return true;
        foreach (Range ra in a.Split((byte)'&'))
        {
            ReadOnlySpan<byte> ha = a[ra];
            int ea = ha.IndexOf((byte)'=');
            bool found = false;
            foreach (Range rb in b.Split((byte)'&'))
            {
                ReadOnlySpan<byte> hb = b[rb];
                int eb = hb.IndexOf((byte)'=');
                if (ea >= 0 && eb >= 0
                    && SipSyntax.EscapedEquals(ha.Slice(0, ea), hb.Slice(0, eb), ignoreCase: true)
                    && SipSyntax.EscapedEquals(ha.Slice(ea + 1), hb.Slice(eb + 1), ignoreCase: true))
                {
                    found = true;
                    break;
                }
            }
            if (!found)
                return false;
        }
        return true;
    }

    private static bool TelNumberEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && a[i] is (byte)'-' or (byte)'.' or (byte)'(' or (byte)')')
                i++;
            while (j < b.Length && b[j] is (byte)'-' or (byte)'.' or (byte)'(' or (byte)')')
                j++;
            if (i == a.Length || j == b.Length)
                return i == a.Length && j == b.Length;
            if ((a[i] | 0x20) != (b[j] | 0x20))
                return false;
            i++;
            j++;
        }
    }
}
