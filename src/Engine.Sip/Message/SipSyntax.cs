using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// Character classes and small scanners shared by the parser and the typed header views
/// (RFC 3261 §25.1). Every scanner works on spans and offsets and allocates nothing.
/// </summary>
/// <remarks>
/// Folded header lines keep their CRLF inside the value span. RFC 3261 §7.3.1 says a fold is
/// equivalent to a single SP, so every whitespace skip here treats CR and LF like SP and HTAB;
/// a token never contains them, so a fold can only ever appear where LWS is allowed.
/// </remarks>
internal static class SipSyntax
{
    /// <summary>RFC 3261 §25.1 token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~".</summary>
    public static readonly SearchValues<byte> Token =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"u8);

    /// <summary>SP, HTAB and the CR/LF of a fold (RFC 3261 §7.3.1: a fold is one SP).</summary>
    public static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    /// <summary>Decimal digits.</summary>
    public static readonly SearchValues<byte> Digits = SearchValues.Create("0123456789"u8);

    /// <summary>Hexadecimal digits.</summary>
    public static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    // SP, HTAB, CR and LF as bits of a mask indexed by the byte value.
    private const ulong WhitespaceBits = (1UL << ' ') | (1UL << '\t') | (1UL << '\r') | (1UL << '\n');

    // Most bytes a parser asks about are printable, above SP: the first compare answers for them.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWhitespace(byte b) => b <= (byte)' ' && ((WhitespaceBits >> b) & 1) != 0;

    public static bool IsToken(ReadOnlySpan<byte> span) => !span.IsEmpty && SipCharTable.All(span, SipCharClass.Token);

    /// <summary>Index of the first non-whitespace byte at or after <paramref name="start"/>, or the span length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int SkipWhitespace(ReadOnlySpan<byte> span, int start)
    {
        int i = start;
        while ((uint)i < (uint)span.Length && IsWhitespace(span[i]))
            i++;
        return i < span.Length ? i : span.Length;
    }

    /// <summary>The span without leading and trailing whitespace (folds included).</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> span)
    {
        int start = 0;
        while (start < span.Length && IsWhitespace(span[start]))
            start++;
        int end = span.Length;
        while (end > start && IsWhitespace(span[end - 1]))
            end--;
        return span.Slice(start, end - start);
    }

    /// <summary>End (exclusive) of the token that starts at <paramref name="start"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ScanToken(ReadOnlySpan<byte> span, int start) =>
        (uint)start >= (uint)span.Length ? span.Length : SipCharTable.Scan(span, start, SipCharClass.Token);

    /// <summary>
    /// Given <paramref name="start"/> at an opening DQUOTE, returns the index just past the closing
    /// DQUOTE, or -1 when the string is unterminated or holds a control byte (RFC 3261 §25.1
    /// quoted-string: qdtext / quoted-pair, where quoted-pair may not escape CR or LF).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ScanQuotedString(ReadOnlySpan<byte> span, int start)
    {
        // Display names and quoted values are mostly short and plain: when the closing quote is in
        // the 16 bytes after the opening one, with no '\\' or CR before it, that is the end.
        int first = start + 1;
        if (Vector128.IsHardwareAccelerated && (uint)first <= (uint)span.Length && span.Length - first >= 16)
        {
            uint found = QuoteBackslashOrCrBits(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)first));
            if (found != 0)
            {
                int at = first + BitOperations.TrailingZeroCount(found);
                if (span[at] == (byte)'"')
                    return at + 1;
            }
        }
        return ScanQuotedStringLoop(span, start);
    }

    private static int ScanQuotedStringLoop(ReadOnlySpan<byte> span, int start)
    {
        int i = start + 1;
        while (i < span.Length)
        {
            int rel = IndexOfQuoteBackslashOrCr(span.Slice(i));
            if (rel < 0)
                return -1;
            i += rel;
            byte b = span[i];
            if (b == (byte)'"')
                return i + 1;
            if (b == (byte)'\\')
            {
                // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): CR and LF can't be escaped.
                if (i + 1 >= span.Length || span[i + 1] is (byte)'\r' or (byte)'\n')
                    return -1;
                i += 2;
                continue;
            }
            // A CR inside a quoted string is only legal as part of a fold (CRLF then SP/HTAB).
            if (i + 2 >= span.Length || span[i + 1] != (byte)'\n' || span[i + 2] is not ((byte)' ' or (byte)'\t'))
                return -1;
            i += 3;
        }
        return -1;
    }

    /// <summary>
    /// Index of the first <paramref name="value"/> at or after <paramref name="start"/>, or -1.
    /// For the few dozen bytes of a header value, a 16-byte compare loop finds it without the
    /// call into the general search, whose setup costs as much as the search itself here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int IndexOf(ReadOnlySpan<byte> span, int start, byte value)
    {
        if ((uint)start > (uint)span.Length)
            return -1;
        int last = span.Length - 16;
        if (!Vector128.IsHardwareAccelerated || last < 0 || span.Length - start > 64)
        {
            int rel = span.Slice(start).IndexOf(value);
            return rel < 0 ? -1 : start + rel;
        }
        ref byte data = ref MemoryMarshal.GetReference(span);
        Vector128<byte> wanted = Vector128.Create(value);
        int i = start;
        while (i < span.Length)
        {
            // The last block is loaded from the last 16 bytes, its bits shifted to the position.
            int blockStart = Math.Min(i, last);
            uint found = Vector128.Equals(Vector128.LoadUnsafe(ref data, (nuint)blockStart), wanted).ExtractMostSignificantBits()
                >> (i - blockStart);
            if (found != 0)
                return i + BitOperations.TrailingZeroCount(found);
            i = blockStart + 16;
        }
        return -1;
    }

    // Display names and quoted parameter values are mostly shorter than 16 bytes: one vector
    // compare of the first 16 bytes finds their end without a call into the general search.
    private static int IndexOfQuoteBackslashOrCr(ReadOnlySpan<byte> span)
    {
        if (Vector128.IsHardwareAccelerated && span.Length >= 16)
        {
            uint found = QuoteBackslashOrCrBits(Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(span)));
            if (found != 0)
                return BitOperations.TrailingZeroCount(found);
        }
        return span.IndexOfAny((byte)'"', (byte)'\\', (byte)'\r');
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint QuoteBackslashOrCrBits(Vector128<byte> block) =>
        (Vector128.Equals(block, Vector128.Create((byte)'"'))
            | Vector128.Equals(block, Vector128.Create((byte)'\\'))
            | Vector128.Equals(block, Vector128.Create((byte)'\r'))).ExtractMostSignificantBits();

    /// <summary>
    /// Copies the content of a quoted string (with or without its DQUOTEs) into
    /// <paramref name="destination"/>, resolving quoted-pairs and turning each fold into one SP.
    /// A value that is not quoted is copied as it is.
    /// </summary>
    public static bool TryUnquote(ReadOnlySpan<byte> value, Span<byte> destination, out int written)
    {
        written = 0;
        if (value.Length >= 2 && value[0] == (byte)'"' && value[^1] == (byte)'"')
            value = value[1..^1];
        int n = 0;
        for (int i = 0; i < value.Length; i++)
        {
            byte b = value[i];
            if (b == (byte)'\\' && i + 1 < value.Length)
            {
                b = value[++i];
            }
            else if (b == (byte)'\r' && i + 2 < value.Length && value[i + 1] == (byte)'\n')
            {
                // Fold: CRLF 1*WSP counts as one SP (RFC 3261 §7.3.1).
                i += 2;
                while (i + 1 < value.Length && value[i + 1] is (byte)' ' or (byte)'\t')
                    i++;
                b = (byte)' ';
            }
            if ((uint)n >= (uint)destination.Length)
                return false;
            destination[n++] = b;
        }
        written = n;
        return true;
    }

    /// <summary>
    /// Case-insensitive equality of a token with a lower-case ASCII literal (letters, digits, '-').
    /// OR 0x20 lowers a letter and leaves digits and '-' alone; no other token character maps onto
    /// one of those, so this is exact for tokens and much cheaper than a general compare on the
    /// few bytes of a parameter name.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool EqualsLowerLiteral(ReadOnlySpan<byte> token, ReadOnlySpan<byte> lowerLiteral)
    {
        if (token.Length != lowerLiteral.Length)
            return false;
        // Four bytes per compare while they last: OR-ing 0x20 into each byte of a word is the same
        // per-byte operation.
        int i = 0;
        for (; i + 4 <= token.Length; i += 4)
        {
            if ((BinaryPrimitives.ReadUInt32LittleEndian(token.Slice(i)) | 0x20202020u) != BinaryPrimitives.ReadUInt32LittleEndian(lowerLiteral.Slice(i)))
                return false;
        }
        for (; i < token.Length; i++)
        {
            if ((token[i] | 0x20) != lowerLiteral[i])
                return false;
        }
        return true;
    }

    /// <summary>Parses 1*DIGIT as an unsigned 32-bit number; false on empty, non-digits or overflow.</summary>
    public static bool TryParseUInt32(ReadOnlySpan<byte> digits, out uint value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 16)
            return false;
        ulong v = 0;
        foreach (byte b in digits)
        {
            uint d = (uint)(b - '0');
            if (d > 9)
                return false;
            v = v * 10 + d;
            if (v > uint.MaxValue)
                return false;
        }
        value = (uint)v;
        return true;
    }

    /// <summary>Parses 1*DIGIT as a non-negative int; false on empty, non-digits or overflow.</summary>
    public static bool TryParseInt32(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (!TryParseUInt32(digits, out uint v) || v > int.MaxValue)
            return false;
        value = (int)v;
        return true;
    }

    /// <summary>True when every '%' is followed by two hex digits (RFC 3261 §25.1 escaped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool HasValidEscapes(ReadOnlySpan<byte> span)
    {
        // Users and parameters are short and rarely escaped: a byte loop answers "no '%'" sooner
        // than a call into the vectorized search.
        int i = span.Length < 16 ? IndexOfPercentShort(span) : span.IndexOf((byte)'%');
        return i < 0 || AreEscapesValid(span, i);
    }

    private static bool AreEscapesValid(ReadOnlySpan<byte> span, int i)
    {
        while (i >= 0)
        {
            if (i + 2 >= span.Length || !HexDigits.Contains(span[i + 1]) || !HexDigits.Contains(span[i + 2]))
                return false;
            int next = span.Slice(i + 3).IndexOf((byte)'%');
            i = next < 0 ? -1 : i + 3 + next;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOfPercentShort(ReadOnlySpan<byte> span)
    {
        for (int i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'%')
                return i;
        }
        return -1;
    }

    /// <summary>The value of a hex digit (caller checked it is one).</summary>
    public static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    /// <summary>
    /// Compares two spans after resolving %HH escapes in both (RFC 3261 §19.1.4: an escaped and an
    /// unescaped character compare equal), optionally ignoring ASCII case.
    /// </summary>
    public static bool EscapedEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, bool ignoreCase)
    {
        if (a.IndexOf((byte)'%') < 0 && b.IndexOf((byte)'%') < 0)
            return ignoreCase ? System.Text.Ascii.EqualsIgnoreCase(a, b) : a.SequenceEqual(b);
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            int ca = NextUnescaped(a, ref i);
            int cb = NextUnescaped(b, ref j);
            if (ignoreCase)
            {
                if ((uint)(ca - 'A') <= 'Z' - 'A') ca |= 0x20;
                if ((uint)(cb - 'A') <= 'Z' - 'A') cb |= 0x20;
            }
            if (ca != cb)
                return false;
        }
        return i == a.Length && j == b.Length;
    }

    private static int NextUnescaped(ReadOnlySpan<byte> s, ref int i)
    {
        byte c = s[i];
        if (c == (byte)'%' && i + 2 < s.Length && HexDigits.Contains(s[i + 1]) && HexDigits.Contains(s[i + 2]))
        {
            i += 3;
            return (HexValue(s[i - 2]) << 4) | HexValue(s[i - 1]);
        }
        i++;
        return c;
    }
}
