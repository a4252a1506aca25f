using System.Buffers;

namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// Reads a session description (RFC 4566) in one pass into a caller-provided line index. Lines end in
/// CRLF or, as RFC 4566 §5 lets receivers accept, a bare LF; the last line may lack its line end;
/// empty lines are skipped. Every line is kept, known or not. The checks are the ones a wrong answer
/// would otherwise follow from: v= first and 0, well-formed o=, c= and m=, no NUL or stray CR, and
/// the limits. Work is linear in the body and stops at the first error.
/// </summary>
public static class SdpReader
{
    private static readonly SearchValues<byte> LineEndOrNul = SearchValues.Create([(byte)'\n', (byte)'\r', 0]);

    /// <summary>Reads <paramref name="body"/> with <see cref="SdpLimits.Default"/>.</summary>
    /// <param name="body">The SDP body, e.g. the body of an INVITE.</param>
    /// <param name="lineIndex">Room for the index, e.g. <c>stackalloc SdpLine[SdpLimits.DefaultMaxLines]</c>.</param>
    /// <param name="session">The view over body and index; default when the result is a failure.</param>
    public static SdpReadResult Read(ReadOnlySpan<byte> body, Span<SdpLine> lineIndex, out SdpSession session) =>
        Read(body, lineIndex, SdpLimits.Default, out session);

    /// <summary>Reads <paramref name="body"/> under <paramref name="limits"/>.</summary>
    public static SdpReadResult Read(ReadOnlySpan<byte> body, Span<SdpLine> lineIndex, SdpLimits limits, out SdpSession session)
    {
        ArgumentNullException.ThrowIfNull(limits);
        session = default;
        int capacity = Math.Min(limits.MaxLines, lineIndex.Length);
        int count = 0;
        int mediaCount = 0;
        int firstMediaLine = -1;
        int lineNumber = 0;
        int position = 0;

        while (position < body.Length)
        {
            lineNumber++;
            ReadOnlySpan<byte> rest = body[position..];

            // One search per line finds its end and any byte that may not appear in it. RFC 4566 §9:
            // byte-string excludes NUL, CR and LF, so a CR that is not part of CRLF is an error, not a
            // line end (a CR-only body would otherwise be read as one endless line).
            int stop = rest.IndexOfAny(LineEndOrNul);
            ReadOnlySpan<byte> line;
            int next;
            if (stop < 0)
            {
                line = rest;
                next = body.Length;
            }
            else if (rest[stop] == (byte)'\n')
            {
                line = rest[..stop];
                next = position + stop + 1;
            }
            else if (rest[stop] == (byte)'\r' && (stop + 1 == rest.Length || rest[stop + 1] == (byte)'\n'))
            {
                line = rest[..stop];
                next = Math.Min(body.Length, position + stop + 2);
            }
            else
            {
                return new SdpReadResult(
                    stop > limits.MaxLineLength ? SdpError.LineTooLong : SdpError.IllegalCharacter,
                    lineNumber);
            }

            if (line.Length > limits.MaxLineLength)
            {
                return new SdpReadResult(SdpError.LineTooLong, lineNumber);
            }

            if (line.IsEmpty)
            {
                position = next;
                continue;
            }

            if (line.Length < 2 || line[1] != (byte)'=' || !char.IsAsciiLetter((char)line[0]))
            {
                return new SdpReadResult(SdpError.MalformedLine, lineNumber);
            }

            byte type = line[0];
            if (count == 0 && type != (byte)'v')
            {
                return new SdpReadResult(SdpError.MissingVersion, lineNumber);
            }

            if (count >= capacity)
            {
                return new SdpReadResult(SdpError.TooManyLines, lineNumber);
            }

            SdpError error = CheckLine(type, line[2..], count == 0);
            if (error != SdpError.None)
            {
                return new SdpReadResult(error, lineNumber);
            }

            if (type == (byte)'m')
            {
                if (++mediaCount > limits.MaxMediaSections)
                {
                    return new SdpReadResult(SdpError.TooManyMediaSections, lineNumber);
                }

                if (firstMediaLine < 0)
                {
                    firstMediaLine = count;
                }
            }

            lineIndex[count++] = new SdpLine(type, position + 2, line.Length - 2, lineNumber);
            position = next;
        }

        if (count == 0)
        {
            return new SdpReadResult(SdpError.Empty, 0);
        }

        session = new SdpSession(body, lineIndex[..count], firstMediaLine < 0 ? count : firstMediaLine, mediaCount);
        return new SdpReadResult(SdpError.None, 0);
    }

    private static SdpError CheckLine(byte type, ReadOnlySpan<byte> value, bool isFirst)
    {
        switch (type)
        {
            case (byte)'v' when isFirst:
                return value.SequenceEqual("0"u8) ? SdpError.None : SdpError.UnsupportedVersion;
            case (byte)'o':
                return SdpSyntax.TryParseOrigin(value, out _, out _, out _, out _, out _, out _)
                    ? SdpError.None
                    : SdpError.MalformedOrigin;
            case (byte)'c':
                return SdpSyntax.TryParseConnection(value, out _, out _, out _, out _, out _)
                    ? SdpError.None
                    : SdpError.MalformedConnection;
            case (byte)'m':
                return SdpSyntax.TryParseMediaLine(value, out _, out _, out _, out _, out _)
                    ? SdpError.None
                    : SdpError.MalformedMedia;
            default:
                return SdpError.None;
        }
    }
}
