using System.Runtime.CompilerServices;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Addressing;

/// <summary>
/// A run of ";name[=value]" parameters, already checked for syntax: header parameters
/// (RFC 3261 §25.1 generic-param, whitespace allowed around ";" and "=", quoted values) or URI
/// parameters (§19.1.1 uri-parameter, no whitespace, %-escapes). Lookups compare names
/// case-insensitively and allocate nothing.
/// </summary>
public readonly ref struct SipParameters
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly bool _uriStyle;

    internal SipParameters(ReadOnlySpan<byte> span, bool uriStyle)
    {
        _span = span;
        _uriStyle = uriStyle;
    }

    /// <summary>The raw parameter text, starting at the first ';' (empty when there are none).</summary>
    public ReadOnlySpan<byte> Raw => _span;

    /// <summary>True when there are no parameters.</summary>
    public bool IsEmpty => _span.IsEmpty;

    /// <summary>Enumerates the parameters in order.</summary>
    public SipParameterEnumerator GetEnumerator() => new(_span, _uriStyle);

    /// <summary>Finds a parameter by name (case-insensitive; %-escapes resolved for URI parameters).</summary>
    public bool TryGetValue(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        int position = 0;
        while (TryReadNext(_span, ref position, _uriStyle, out var n, out var v, out _))
        {
            if (NameEquals(n, name))
            {
                value = v;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>True when a parameter with this name is present (with or without a value).</summary>
    public bool Contains(ReadOnlySpan<byte> name) => TryGetValue(name, out _);

    /// <summary>Number of parameters.</summary>
    public int Count
    {
        get
        {
            int n = 0, position = 0;
            while (TryReadNext(_span, ref position, _uriStyle, out _, out _, out _))
                n++;
            return n;
        }
    }

    private bool NameEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        _uriStyle ? SipSyntax.EscapedEquals(a, b, ignoreCase: true) : a.Length == b.Length && System.Text.Ascii.EqualsIgnoreCase(a, b);

    /// <summary>
    /// Parses header parameters starting at <paramref name="start"/> (whitespace then ';' expected)
    /// and stops before the first byte that cannot continue them. False on a malformed parameter
    /// (empty name, "=" without a value, unterminated quote).
    /// </summary>
    internal static bool TryParseHeaderParameters(ReadOnlySpan<byte> span, int start, out int end, out SipParameters parameters)
    {
        int first = -1;
        int i = start;
        while (true)
        {
            int next = ReadHeaderParameter(span, i, out int semicolon, out _, out _, out _, out _);
            if (next == NoParameter)
                break;
            if (next == Malformed)
            {
                end = i;
                parameters = default;
                return false;
            }
            if (first < 0)
                first = semicolon;
            i = next;
        }
        end = i;
        parameters = first < 0 ? default : new SipParameters(span.Slice(first, i - first), uriStyle: false);
        return true;
    }

    /// <summary><see cref="ReadHeaderParameter"/>: no ';' follows, the parameters ended.</summary>
    internal const int NoParameter = -1;

    /// <summary><see cref="ReadHeaderParameter"/>: the parameter is malformed.</summary>
    internal const int Malformed = -2;

    /// <summary>
    /// Reads one generic-param (RFC 3261 §25.1: SEMI token [ EQUAL ( token / host / quoted-string ) ])
    /// at <paramref name="i"/>, with whitespace and folds allowed around ';' and '='. Returns the
    /// index just past it, <see cref="NoParameter"/> or <see cref="Malformed"/>. A parameter without a
    /// value reports <paramref name="valueStart"/> = -1.
    /// </summary>
    internal static int ReadHeaderParameter(ReadOnlySpan<byte> span, int i, out int semicolon, out int nameStart, out int nameEnd,
        out int valueStart, out int valueEnd)
    {
        SipParameterBounds p = ReadHeaderParameter(span, i);
        semicolon = p.Semicolon;
        nameStart = p.NameStart;
        nameEnd = p.NameEnd;
        valueStart = p.ValueStart;
        valueEnd = p.ValueEnd;
        return p.End;
    }

    /// <summary>
    /// Reads one generic-param (RFC 3261 §25.1: SEMI token [ EQUAL ( token / host / quoted-string ) ])
    /// at <paramref name="i"/>, with whitespace and folds allowed around ';' and '='. Its
    /// <see cref="SipParameterBounds.End"/> is the index just past it, <see cref="NoParameter"/> or
    /// <see cref="Malformed"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static SipParameterBounds ReadHeaderParameter(ReadOnlySpan<byte> span, int i) => ReadHeaderParameter(span, i, default);

    /// <summary>
    /// <see cref="ReadHeaderParameter(ReadOnlySpan{byte}, int)"/> with the name the caller expects
    /// most (a lower-case literal such as "tag" or "branch"): when the name there is exactly that,
    /// its end is known without scanning for it. The result is the same either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static SipParameterBounds ReadHeaderParameter(ReadOnlySpan<byte> span, int i, ReadOnlySpan<byte> likelyName)
    {
        int semicolon = SipSyntax.SkipWhitespace(span, i);
        if ((uint)semicolon >= (uint)span.Length || span[semicolon] != (byte)';')
            return new SipParameterBounds(NoParameter, semicolon, -1, -1, -1, -1, false);
        int nameStart = SipSyntax.SkipWhitespace(span, semicolon + 1);
        int nameEnd = StartsWithName(span, nameStart, likelyName) ? nameStart + likelyName.Length : SipSyntax.ScanToken(span, nameStart);
        if (nameEnd == nameStart)
            return new SipParameterBounds(Malformed, semicolon, nameStart, nameEnd, -1, -1, false);
        int afterName = SipSyntax.SkipWhitespace(span, nameEnd);
        if ((uint)afterName >= (uint)span.Length || span[afterName] != (byte)'=')
            return new SipParameterBounds(nameEnd, semicolon, nameStart, nameEnd, -1, -1, false);
        int valueStart = SipSyntax.SkipWhitespace(span, afterName + 1);
        int valueEnd = ScanHeaderValue(span, valueStart, out bool valueIsToken);
        return new SipParameterBounds(valueEnd > valueStart ? valueEnd : Malformed, semicolon, nameStart, nameEnd,
            valueStart, valueEnd, valueIsToken);
    }

    /// <summary>
    /// Parses URI parameters: <paramref name="span"/> is the text from the first ';' up to (not
    /// including) '?' or the end of the URI. False on a malformed parameter.
    /// </summary>
    internal static bool TryParseUriParameters(ReadOnlySpan<byte> span, out SipParameters parameters)
    {
        parameters = default;
        int i = 0;
        while (i < span.Length)
        {
            if (span[i] != (byte)';')
                return false;
            i++;
            int nameEnd = ScanUriChars(span, i);
            if (nameEnd == i)
                return false;
            i = nameEnd;
            if (i < span.Length && span[i] == (byte)'=')
            {
                int valueEnd = ScanUriChars(span, i + 1);
                if (valueEnd == i + 1)
                    return false;
                i = valueEnd;
            }
        }
        if (!SipSyntax.HasValidEscapes(span))
            return false;
        parameters = new SipParameters(span, uriStyle: true);
        return true;
    }

    // RFC 3261 §25.1 paramchar = param-unreserved / unreserved / escaped.
    private static int ScanUriChars(ReadOnlySpan<byte> span, int start) =>
        SipCharTable.Scan(span, start, SipCharClass.UriParam);

    // True when the token at start is exactly the (non-empty, lower-case, letters-only) name: its
    // letters match case-insensitively and no token character follows.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool StartsWithName(ReadOnlySpan<byte> span, int start, ReadOnlySpan<byte> name)
    {
        int end = start + name.Length;
        return !name.IsEmpty && (uint)end <= (uint)span.Length
            && SipSyntax.EqualsLowerLiteral(span.Slice(start, name.Length), name)
            && (end == span.Length || !SipCharTable.Is(span[end], SipCharClass.Token));
    }

    private static int ScanHeaderValue(ReadOnlySpan<byte> span, int start) => ScanHeaderValue(span, start, out _);

    // gen-value = token / host / quoted-string (RFC 3261 §25.1). A host adds only ':' '[' ']' to the
    // token characters (IPv6 references), so one token scan reads most values whole and tells
    // whether the value is a token; a host value continues from where the token scan stopped.
    private static int ScanHeaderValue(ReadOnlySpan<byte> span, int start, out bool isToken)
    {
        isToken = false;
        if (start >= span.Length)
            return start;
        if (span[start] == (byte)'"')
        {
            int close = SipSyntax.ScanQuotedString(span, start);
            return close < 0 ? start : close;
        }
        int end = SipSyntax.ScanToken(span, start);
        if (end < span.Length && span[end] is (byte)':' or (byte)'[' or (byte)']')
            return SipCharTable.Scan(span, end, SipCharClass.ParamValue);
        isToken = end > start;
        return end;
    }

    /// <summary>Reads the parameter at <paramref name="position"/> of a validated span.</summary>
    internal static bool TryReadNext(ReadOnlySpan<byte> span, scoped ref int position, bool uriStyle,
        out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value, out bool hasValue)
    {
        name = value = default;
        hasValue = false;
        int i = uriStyle ? position : SipSyntax.SkipWhitespace(span, position);
        if (i >= span.Length || span[i] != (byte)';')
            return false;
        i++;
        if (!uriStyle)
            i = SipSyntax.SkipWhitespace(span, i);
        int nameEnd = uriStyle ? ScanUriChars(span, i) : SipSyntax.ScanToken(span, i);
        name = span.Slice(i, nameEnd - i);
        i = nameEnd;
        int afterName = uriStyle ? i : SipSyntax.SkipWhitespace(span, i);
        if (afterName < span.Length && span[afterName] == (byte)'=')
        {
            int v = uriStyle ? afterName + 1 : SipSyntax.SkipWhitespace(span, afterName + 1);
            int valueEnd = uriStyle ? ScanUriChars(span, v) : ScanHeaderValue(span, v);
            value = span.Slice(v, valueEnd - v);
            hasValue = true;
            i = valueEnd;
        }
        position = i;
        return !name.IsEmpty;
    }
}
