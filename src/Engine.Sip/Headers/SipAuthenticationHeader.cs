using System.Text;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Headers;

/// <summary>
/// A challenge (WWW-Authenticate, Proxy-Authenticate) or credentials (Authorization,
/// Proxy-Authorization): <c>scheme LWS auth-param *(COMMA auth-param)</c> (RFC 3261 §25.1,
/// RFC 2617 §3.2). Values are returned raw (quoted ones keep their quotes); use
/// <see cref="TryUnquote"/> to copy one out without quotes or escapes.
/// </summary>
/// <remarks>
/// The whole header value is one challenge: commas here separate parameters, so do not split
/// these headers with <see cref="SipMessage.GetValues(SipHeaderId)"/>.
/// </remarks>
public readonly ref struct SipAuthenticationHeader
{
    private readonly ReadOnlySpan<byte> _params;

    private SipAuthenticationHeader(ReadOnlySpan<byte> scheme, ReadOnlySpan<byte> parameters)
    {
        Scheme = scheme;
        _params = parameters;
    }

    /// <summary>The scheme, e.g. "Digest".</summary>
    public ReadOnlySpan<byte> Scheme { get; }

    /// <summary>True for the Digest scheme (case-insensitive).</summary>
    public bool IsDigest => Ascii.EqualsIgnoreCase(Scheme, "Digest"u8);

    /// <summary>The raw parameter list after the scheme.</summary>
    public ReadOnlySpan<byte> RawParameters => _params;

    /// <summary>realm (raw).</summary>
    public ReadOnlySpan<byte> Realm => Get("realm"u8);
    /// <summary>nonce (raw).</summary>
    public ReadOnlySpan<byte> Nonce => Get("nonce"u8);
    /// <summary>opaque (raw).</summary>
    public ReadOnlySpan<byte> Opaque => Get("opaque"u8);
    /// <summary>algorithm (raw), e.g. MD5, SHA-256.</summary>
    public ReadOnlySpan<byte> Algorithm => Get("algorithm"u8);
    /// <summary>qop (raw): a quoted list in challenges, a single token in credentials.</summary>
    public ReadOnlySpan<byte> Qop => Get("qop"u8);
    /// <summary>stale (raw).</summary>
    public ReadOnlySpan<byte> Stale => Get("stale"u8);
    /// <summary>domain (raw).</summary>
    public ReadOnlySpan<byte> Domain => Get("domain"u8);
    /// <summary>username (raw).</summary>
    public ReadOnlySpan<byte> Username => Get("username"u8);
    /// <summary>uri (raw).</summary>
    public ReadOnlySpan<byte> Uri => Get("uri"u8);
    /// <summary>response (raw).</summary>
    public ReadOnlySpan<byte> Response => Get("response"u8);
    /// <summary>cnonce (raw).</summary>
    public ReadOnlySpan<byte> CNonce => Get("cnonce"u8);
    /// <summary>nc (raw, 8 hex digits).</summary>
    public ReadOnlySpan<byte> NonceCount => Get("nc"u8);

    /// <summary>True when stale=true (case-insensitive, quotes tolerated).</summary>
    public bool IsStale
    {
        get
        {
            ReadOnlySpan<byte> s = Stale;
            if (s.Length >= 2 && s[0] == (byte)'"')
                s = s[1..^1];
            return Ascii.EqualsIgnoreCase(s, "true"u8);
        }
    }

    /// <summary>True when the qop value (a list in challenges) contains <paramref name="option"/>, e.g. "auth".</summary>
    public bool QopContains(ReadOnlySpan<byte> option)
    {
        ReadOnlySpan<byte> q = Qop;
        if (q.Length >= 2 && q[0] == (byte)'"')
            q = q[1..^1];
        foreach (Range r in q.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(SipSyntax.Trim(q[r]), option))
                return true;
        }
        return false;
    }

    /// <summary>Finds a parameter by name (case-insensitive); the value is raw.</summary>
    public bool TryGetParameter(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int i = 0;
        while (TryReadNext(_params, ref i, out var n, out var v))
        {
            if (Ascii.EqualsIgnoreCase(n, name))
            {
                value = v;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>
    /// Copies a raw parameter value into <paramref name="destination"/> without its quotes, with
    /// quoted-pairs resolved and folds turned into SP.
    /// </summary>
    public static bool TryUnquote(ReadOnlySpan<byte> raw, Span<byte> destination, out int written) =>
        SipSyntax.TryUnquote(raw, destination, out written);

    /// <summary>Parses a challenge or credentials value; false when malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out SipAuthenticationHeader header)
    {
        header = default;
        int i = SipSyntax.SkipWhitespace(value, 0);
        int schemeEnd = SipSyntax.ScanToken(value, i);
        if (schemeEnd == i)
            return false;
        int p = SipSyntax.SkipWhitespace(value, schemeEnd);
        if (p < value.Length && p == schemeEnd)
            return false;
        ReadOnlySpan<byte> parameters = value.Slice(p);
        // Validate the whole list once so lookups can trust it.
        int position = 0;
        while (position < parameters.Length)
        {
            if (!TryReadNext(parameters, ref position, out _, out _))
                return false;
        }
        header = new SipAuthenticationHeader(value.Slice(i, schemeEnd - i), parameters);
        return true;
    }

    private ReadOnlySpan<byte> Get(ReadOnlySpan<byte> name) => TryGetParameter(name, out var v) ? v : default;

    // auth-param = auth-param-name EQUAL ( token / quoted-string ), separated by COMMA. Some
    // peers send unquoted URIs (uri=sip:a@b); an unquoted value is therefore read up to the next
    // comma or whitespace.
    private static bool TryReadNext(ReadOnlySpan<byte> span, scoped ref int position, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        name = value = default;
        int i = SipSyntax.SkipWhitespace(span, position);
        while (i < span.Length && span[i] == (byte)',')
            i = SipSyntax.SkipWhitespace(span, i + 1);
        if (i >= span.Length)
        {
            position = span.Length;
            return false;
        }
        int nameEnd = SipSyntax.ScanToken(span, i);
        if (nameEnd == i)
            return false;
        name = span.Slice(i, nameEnd - i);
        int eq = SipSyntax.SkipWhitespace(span, nameEnd);
        if (eq >= span.Length || span[eq] != (byte)'=')
            return false;
        int v = SipSyntax.SkipWhitespace(span, eq + 1);
        int vEnd;
        if (v < span.Length && span[v] == (byte)'"')
        {
            vEnd = SipSyntax.ScanQuotedString(span, v);
            if (vEnd < 0)
                return false;
        }
        else
        {
            int rel = span.Slice(v).IndexOfAny(", \t\r\n\""u8);
            vEnd = rel < 0 ? span.Length : v + rel;
            if (vEnd == v)
                return false;
        }
        value = span.Slice(v, vEnd - v);
        int next = SipSyntax.SkipWhitespace(span, vEnd);
        if (next < span.Length && span[next] != (byte)',')
            return false;
        position = next < span.Length ? next + 1 : next;
        return true;
    }
}
