using System.Text;
using System.Text.Unicode;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// The one-pass parser behind <see cref="SipMessage.Parse(ReadOnlyMemory{byte}, SipFraming)"/>.
/// Each line end is found with one vectorized search for control bytes, which both finds the
/// CRLF and rejects NULs and other controls on the way; names are matched by length and first
/// letter; values are stored as offsets. Nothing is copied, nothing is allocated.
/// </summary>
internal static class SipParser
{
    private const int Unterminated = -1;
    private const int BadLineEnding = -2;
    private const int BadCharacter = -3;

    public static SipParseResult Parse(SipMessage message, ReadOnlySpan<byte> data, SipFraming framing)
    {
        if (data.IsEmpty)
            return SipParseResult.Fail(SipParseError.Empty, 0);

        int lineEnd = FindLineEnd(data, 0, out int badOffset);
        if (lineEnd < 0)
            return LineError(lineEnd, badOffset, data.Length);

        var start = ParseStartLine(message, data.Slice(0, lineEnd));
        if (!start.IsSuccess)
            return start;

        int pos = lineEnd + 2;
        int contentLength = -1;
        while (true)
        {
            if (pos >= data.Length)
            {
                // Liberal: a datagram whose last header line ends exactly at the end of the datagram
                // has no body (the RFC 4475 §3.1.2.15 archive bytes lack the empty line). On a
                // stream the empty line is what ends the headers, so it stays mandatory.
                if (framing == SipFraming.Datagram && pos == data.Length && message.HeaderCount > 0)
                    break;
                return SipParseResult.Fail(SipParseError.UnterminatedHeaders, data.Length);
            }
            byte first = data[pos];
            if (first == (byte)'\r')
            {
                if (pos + 1 >= data.Length)
                    return SipParseResult.Fail(SipParseError.UnterminatedHeaders, data.Length);
                if (data[pos + 1] != (byte)'\n')
                    return SipParseResult.Fail(SipParseError.InvalidLineEnding, pos);
                pos += 2;
                break;
            }
            if (first is (byte)' ' or (byte)'\t')
                return SipParseResult.Fail(SipParseError.UnexpectedContinuation, pos);

            int lineStart = pos;
            int physicalEnd = FindLineEnd(data, pos, out badOffset);
            if (physicalEnd < 0)
                return LineError(physicalEnd, badOffset, data.Length);

            // Continuation lines (RFC 3261 §7.3.1 folding) belong to this header's value.
            int valueEnd = physicalEnd;
            int next = physicalEnd + 2;
            while (next < data.Length && data[next] is (byte)' ' or (byte)'\t')
            {
                valueEnd = FindLineEnd(data, next, out badOffset);
                if (valueEnd < 0)
                    return LineError(valueEnd, badOffset, data.Length);
                next = valueEnd + 2;
            }

            // field-name = token, then HCOLON = *( SP / HTAB ) ":" SWS: the colon is on the first
            // physical line. Names are short, so a table scan both finds their end and checks them.
            int nameEnd = SipCharTable.ScanShort(data, lineStart, SipCharClass.Token);
            int nameLength = nameEnd - lineStart;
            int colon = nameEnd;
            while (colon < physicalEnd && data[colon] is (byte)' ' or (byte)'\t')
                colon++;
            if (colon >= physicalEnd || data[colon] != (byte)':')
            {
                if (data.Slice(lineStart, physicalEnd - lineStart).IndexOf((byte)':') < 0)
                    return SipParseResult.Fail(SipParseError.MissingColon, lineStart);
                return SipParseResult.Fail(SipParseError.InvalidHeaderName, lineStart);
            }
            if (nameLength == 0)
                return SipParseResult.Fail(SipParseError.InvalidHeaderName, lineStart);
            SipHeaderId id = SipHeaderNames.Lookup(data.Slice(lineStart, nameLength));

            // The value, trimmed of SWS on both ends (a fold is whitespace too).
            int valueStart = colon + 1;
            while (valueStart < valueEnd && SipSyntax.IsWhitespace(data[valueStart]))
                valueStart++;
            int valueStop = valueEnd;
            while (valueStop > valueStart && SipSyntax.IsWhitespace(data[valueStop - 1]))
                valueStop--;
            int valueLength = valueStop - valueStart;

            if (!message.AddHeader(new SipHeader(id, lineStart, nameLength, valueStart, valueLength)))
                return SipParseResult.Fail(SipParseError.TooManyHeaders, lineStart);

            if (id == SipHeaderId.ContentLength)
            {
                // RFC 3261 §20.14 Content-Length = 1*DIGIT; several values must agree (RFC 4475 §3.3.9).
                if (!SipSyntax.TryParseInt32(data.Slice(valueStart, valueLength), out int value))
                    return SipParseResult.Fail(SipParseError.InvalidContentLength, valueStart);
                if (contentLength >= 0 && contentLength != value)
                    return SipParseResult.Fail(SipParseError.ConflictingContentLength, lineStart);
                contentLength = value;
            }
            pos = next;
        }

        // TEXT-UTF8 (RFC 3261 §25.1): the start line and headers must be valid UTF-8; the body may be binary.
        if (!Utf8.IsValid(data.Slice(0, pos)))
        {
            return SipParseResult.Fail(SipParseError.InvalidUtf8, FirstInvalidUtf8(data.Slice(0, pos)));
        }

        int available = data.Length - pos;
        int bodyLength;
        if (contentLength >= 0)
        {
            if (contentLength > available)
                return SipParseResult.Fail(SipParseError.ContentLengthExceedsData, pos);
            bodyLength = contentLength;
        }
        else
        {
            if (framing == SipFraming.Stream)
                return SipParseResult.Fail(SipParseError.MissingContentLength, pos);
            bodyLength = available;
        }
        message.SetBody(pos, bodyLength, contentLength);
        return SipParseResult.Success;
    }

    // Only runs on the error path: walk the runes to report where the bad sequence starts.
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> span)
    {
        int offset = 0;
        while (offset < span.Length)
        {
            if (Rune.DecodeFromUtf8(span.Slice(offset), out _, out int consumed) != System.Buffers.OperationStatus.Done)
                return offset;
            offset += consumed;
        }
        return offset;
    }

    private static SipParseResult ParseStartLine(SipMessage message, ReadOnlySpan<byte> line)
    {
        // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261 §7.2). A method is a
        // token, and '/' is not a token character, so "SIP/" can only start a status line.
        if (line.Length >= 4 && Ascii.EqualsIgnoreCase(line.Slice(0, 4), "SIP/"u8))
        {
            int sp = line.IndexOf((byte)' ');
            if (sp < 0)
                return SipParseResult.Fail(SipParseError.InvalidStatusCode, line.Length);
            if (!IsVersion(line.Slice(0, sp)))
                return SipParseResult.Fail(SipParseError.InvalidVersion, 0);
            int codeStart = sp + 1;
            if (line.Length < codeStart + 3 || !IsDigit(line[codeStart]) || !IsDigit(line[codeStart + 1]) || !IsDigit(line[codeStart + 2]))
                return SipParseResult.Fail(SipParseError.InvalidStatusCode, codeStart);
            int code = (line[codeStart] - '0') * 100 + (line[codeStart + 1] - '0') * 10 + (line[codeStart + 2] - '0');
            // Status-Code is 3DIGIT in 100..699 (RFC 3261 §7.2, §21).
            if (code < 100 || code > 699)
                return SipParseResult.Fail(SipParseError.InvalidStatusCode, codeStart);
            int reasonStart = codeStart + 3;
            if (reasonStart < line.Length)
            {
                // Liberal: a status line with no SP before an empty reason is accepted; anything
                // else glued to the code (e.g. a fourth digit) is not.
                if (line[reasonStart] != (byte)' ')
                    return SipParseResult.Fail(SipParseError.InvalidStatusCode, codeStart);
                reasonStart++;
            }
            message.SetStatusLine(0, sp, code, reasonStart, line.Length - reasonStart);
            return SipParseResult.Success;
        }

        // Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1). RFC 4475
        // §3.1.2.9 and §3.1.2.10 allow a robust parser to accept runs of SP between the elements
        // and SP after the version; we do. Whitespace inside the Request-URI still leaves four
        // elements and is refused (RFC 4475 §3.1.2.8).
        int methodEnd = line.IndexOf((byte)' ');
        if (methodEnd <= 0)
            return SipParseResult.Fail(methodEnd == 0 ? SipParseError.InvalidMethod : SipParseError.InvalidStartLine, 0);
        ReadOnlySpan<byte> method = line.Slice(0, methodEnd);
        if (SipCharTable.ScanShort(method, 0, SipCharClass.Token) != method.Length)
            return SipParseResult.Fail(SipParseError.InvalidMethod, 0);
        int uriStart = SkipSpaces(line, methodEnd);
        int uriLength = uriStart < line.Length ? line.Slice(uriStart).IndexOf((byte)' ') : -1;
        if (uriLength <= 0)
            return SipParseResult.Fail(SipParseError.InvalidRequestUri, uriStart);
        if (line.Slice(uriStart, uriLength).Contains((byte)'\t'))
            return SipParseResult.Fail(SipParseError.InvalidRequestUri, uriStart);
        int versionStart = SkipSpaces(line, uriStart + uriLength);
        int versionEnd = line.Length;
        int trailing = versionStart < line.Length ? line.Slice(versionStart).IndexOf((byte)' ') : -1;
        if (trailing >= 0)
        {
            versionEnd = versionStart + trailing;
            if (SkipSpaces(line, versionEnd) != line.Length)
                return SipParseResult.Fail(SipParseError.InvalidVersion, versionStart);
        }
        if (!IsVersion(line.Slice(versionStart, versionEnd - versionStart)))
            return SipParseResult.Fail(SipParseError.InvalidVersion, versionStart);
        message.SetRequestLine(SipMethods.Parse(method), methodEnd, uriStart, uriLength, versionStart, versionEnd - versionStart);
        return SipParseResult.Success;
    }

    private static int SkipSpaces(ReadOnlySpan<byte> line, int start)
    {
        int rel = line.Slice(start).IndexOfAnyExcept((byte)' ');
        return rel < 0 ? line.Length : start + rel;
    }

    // SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; "SIP" is matched case-insensitively (RFC 3261 §7.1).
    private static bool IsVersion(ReadOnlySpan<byte> version)
    {
        if (version.SequenceEqual("SIP/2.0"u8))
            return true;
        if (version.Length < 7 || !Ascii.EqualsIgnoreCase(version.Slice(0, 4), "SIP/"u8))
            return false;
        ReadOnlySpan<byte> numbers = version.Slice(4);
        int dot = numbers.IndexOf((byte)'.');
        return dot > 0 && dot < numbers.Length - 1
            && !numbers.Slice(0, dot).ContainsAnyExcept(SipSyntax.Digits)
            && !numbers.Slice(dot + 1).ContainsAnyExcept(SipSyntax.Digits);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    /// <summary>
    /// Position of the CR of the CRLF that ends the line starting at <paramref name="start"/>, or a
    /// negative code: unterminated, a bare CR/LF, or a control byte. HTAB is the only control
    /// allowed inside a line.
    /// </summary>
    private static int FindLineEnd(ReadOnlySpan<byte> data, int start, out int badOffset)
    {
        int i = start;
        while (true)
        {
            int rel = data.Slice(i).IndexOfAnyInRange((byte)0, (byte)0x1F);
            if (rel < 0)
            {
                badOffset = data.Length;
                return Unterminated;
            }
            i += rel;
            byte b = data[i];
            if (b == (byte)'\r')
            {
                if (i + 1 >= data.Length)
                {
                    badOffset = data.Length;
                    return Unterminated;
                }
                if (data[i + 1] == (byte)'\n')
                {
                    badOffset = 0;
                    return i;
                }
                badOffset = i;
                return BadLineEnding;
            }
            // HTAB is whitespace; any other control byte is only allowed escaped as a quoted-pair
            // (RFC 3261 §25.1 quoted-pair = "\\" (%x00-09 / %x0B-0C / %x0E-7F), RFC 4475 §3.1.1.2).
            if (b == (byte)'\t' || (b != (byte)'\n' && i > start && data[i - 1] == (byte)'\\'))
            {
                i++;
                continue;
            }
            badOffset = i;
            return b == (byte)'\n' ? BadLineEnding : BadCharacter;
        }
    }

    private static SipParseResult LineError(int code, int offset, int length) => code switch
    {
        BadLineEnding => SipParseResult.Fail(SipParseError.InvalidLineEnding, offset),
        BadCharacter => SipParseResult.Fail(SipParseError.InvalidCharacter, offset),
        _ => SipParseResult.Fail(SipParseError.UnterminatedHeaders, length),
    };
}
