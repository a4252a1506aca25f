using System.Runtime.CompilerServices;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Addressing;

/// <summary>
/// One name-addr or addr-spec with its header parameters, as in From, To, Contact, Route,
/// Record-Route, Refer-To, P-Asserted-Identity (RFC 3261 §20.10, §25.1):
/// <c>[display-name] &lt;URI&gt; *(;param)</c> or <c>URI *(;param)</c>, or the Contact wildcard "*".
/// </summary>
public ref struct SipNameAddress
{
    private ReadOnlySpan<byte> _raw;
    private SipUri _uri;
    private int _displayStart, _displayLength;
    private int _uriStart, _uriLength;
    private int _paramsStart, _paramsLength;
    private int _tagStart, _tagLength;
    private bool _quoted, _bracketed, _wildcard, _hasTag;

    /// <summary>The display name as written (with its quotes when quoted); empty when absent.</summary>
    public readonly ReadOnlySpan<byte> DisplayName => _raw.Slice(_displayStart, _displayLength);

    /// <summary>True when the display name is a quoted-string.</summary>
    public readonly bool IsDisplayNameQuoted => _quoted;

    /// <summary>True for the name-addr form (URI in angle brackets).</summary>
    public readonly bool HasAngleBrackets => _bracketed;

    /// <summary>The URI text (without brackets).</summary>
    public readonly ReadOnlySpan<byte> UriText => _raw.Slice(_uriStart, _uriLength);

    /// <summary>The parsed URI.</summary>
    public readonly SipUri Uri => _uri;

    /// <summary>Header parameters after the address (";tag=..;expires=..").</summary>
    public readonly SipParameters Parameters => new(_raw.Slice(_paramsStart, _paramsLength), uriStyle: false);

    /// <summary>True for the Contact wildcard "*" (RFC 3261 §10.2.2).</summary>
    public readonly bool IsWildcard => _wildcard;

    /// <summary>The tag parameter (From/To, RFC 3261 §19.3), or empty.</summary>
    public readonly ReadOnlySpan<byte> Tag => _raw.Slice(_tagStart, _tagLength);

    /// <summary>True when a tag parameter is present.</summary>
    public readonly bool HasTag => _hasTag;

    /// <summary>The Contact expires parameter as delta-seconds (RFC 3261 §20.10).</summary>
    public readonly bool TryGetExpires(out uint seconds)
    {
        seconds = 0;
        return Parameters.TryGetValue("expires"u8, out var v) && SipSyntax.TryParseUInt32(v, out seconds);
    }

    /// <summary>
    /// The Contact q parameter in thousandths (qvalue = "0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ],
    /// RFC 3261 §25.1), e.g. "0.33" is 330.
    /// </summary>
    public readonly bool TryGetQ(out int thousandths)
    {
        thousandths = 0;
        if (!Parameters.TryGetValue("q"u8, out var v) || v.IsEmpty || v.Length > 5)
            return false;
        if (v[0] is not ((byte)'0' or (byte)'1'))
            return false;
        int value = (v[0] - '0') * 1000;
        if (v.Length > 1)
        {
            if (v[1] != (byte)'.')
                return false;
            int scale = 100;
            for (int i = 2; i < v.Length; i++, scale /= 10)
            {
                if ((uint)(v[i] - '0') > 9)
                    return false;
                value += (v[i] - '0') * scale;
            }
        }
        if (value > 1000)
            return false;
        thousandths = value;
        return true;
    }

    /// <summary>
    /// Copies the display name into <paramref name="destination"/> with quotes removed, quoted-pairs
    /// resolved and folds turned into SP. False when the destination is too small.
    /// </summary>
    public readonly bool TryGetDisplayName(Span<byte> destination, out int written) =>
        SipSyntax.TryUnquote(DisplayName, destination, out written);

    /// <summary>Parses one element (one comma-separated value) of an address header.</summary>
    /// <param name="value">The element, e.g. from <see cref="SipMessage.GetValues(SipHeaderId)"/>.</param>
    /// <param name="result">The parsed address.</param>
    /// <param name="allowWildcard">Accept "*" (Contact in REGISTER).</param>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool TryParse(ReadOnlySpan<byte> value, out SipNameAddress result, bool allowWildcard = false)
    {
        result = default;
        result._raw = value;
        int i = SipSyntax.SkipWhitespace(value, 0);
        if (i >= value.Length)
            return false;

        if (value[i] == (byte)'*')
        {
            if (!allowWildcard)
                return false;
            result._wildcard = true;
            result._uriStart = i;
            result._uriLength = 1;
            return ParseParameters(value, i + 1, ref result);
        }

        int laquot = -1;
        if (value[i] == (byte)'"')
        {
            int close = SipSyntax.ScanQuotedString(value, i);
            if (close < 0)
                return false;
            result._displayStart = i;
            result._displayLength = close - i;
            result._quoted = true;
            laquot = SipSyntax.SkipWhitespace(value, close);
            if (laquot >= value.Length || value[laquot] != (byte)'<')
                return false;
        }
        else if (value[i] == (byte)'<')
        {
            laquot = i;
        }
        else
        {
            // display-name = *(token LWS): words of tokens, then '<'. Anything else is an addr-spec.
            int j = i;
            int lastWordEnd = -1;
            while (j < value.Length)
            {
                int wordEnd = SipSyntax.ScanToken(value, j);
                if (wordEnd == j)
                    break;
                lastWordEnd = wordEnd;
                j = SipSyntax.SkipWhitespace(value, wordEnd);
            }
            if (lastWordEnd > 0 && j < value.Length && value[j] == (byte)'<')
            {
                result._displayStart = i;
                result._displayLength = lastWordEnd - i;
                laquot = j;
            }
        }

        int uriStart, uriEnd, paramStart;
        if (laquot >= 0)
        {
            result._bracketed = true;
            int raquot = SipSyntax.IndexOf(value, laquot + 1, (byte)'>');
            if (raquot < 0)
                return false;
            // RFC 4475 §3.1.2.14: tolerate whitespace inside the brackets.
            uriStart = SipSyntax.SkipWhitespace(value, laquot + 1);
            uriEnd = raquot;
            while (uriEnd > uriStart && SipSyntax.IsWhitespace(value[uriEnd - 1]))
                uriEnd--;
            paramStart = raquot + 1;
        }
        else
        {
            // addr-spec: the URI runs to the first ';' or whitespace. RFC 3261 §20.10: a URI with a
            // comma, question mark or semicolon must be in angle brackets, so '?' here is an error
            // (RFC 4475 §3.1.2.13); ';' starts the header parameters.
            uriStart = i;
            uriEnd = i;
            while (uriEnd < value.Length && value[uriEnd] != (byte)';' && !SipSyntax.IsWhitespace(value[uriEnd]))
            {
                if (value[uriEnd] == (byte)'?')
                    return false;
                uriEnd++;
            }
            paramStart = uriEnd;
        }
        result._uriStart = uriStart;
        result._uriLength = uriEnd - uriStart;

        // result was cleared on entry, its URI with it.
        if (!SipUri.TryParse(value.Slice(uriStart, uriEnd - uriStart), out result._uri))
            return false;
        return ParseParameters(value, paramStart, ref result);
    }

    // Header parameters to the end of the element, picking out the tag on the way.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ParseParameters(ReadOnlySpan<byte> value, int i, ref SipNameAddress result)
    {
        int first = -1;
        while (true)
        {
            SipParameterBounds p = SipParameters.ReadHeaderParameter(value, i, result._hasTag ? default : "tag"u8);
            if (p.End == SipParameters.NoParameter)
                break;
            if (p.End == SipParameters.Malformed)
                return false;
            if (first < 0)
                first = p.Semicolon;
            if (!result._hasTag && p.NameLength == 3 && SipSyntax.EqualsLowerLiteral(value.Slice(p.NameStart, 3), "tag"u8))
            {
                if (!p.HasValue)
                    return false; // tag = "tag" EQUAL token (RFC 3261 §25.1)
                result._hasTag = true;
                result._tagStart = p.ValueStart;
                result._tagLength = p.ValueEnd - p.ValueStart;
            }
            i = p.End;
        }
        if (first >= 0)
        {
            result._paramsStart = first;
            result._paramsLength = i - first;
        }
        return SipSyntax.SkipWhitespace(value, i) == value.Length;
    }
}
