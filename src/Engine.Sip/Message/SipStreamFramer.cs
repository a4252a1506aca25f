using System.Buffers;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// Cuts SIP messages out of a byte stream (TCP, TLS) held in a <see cref="ReadOnlySequence{T}"/>,
/// as System.IO.Pipelines hands it out: skips CRLF keep-alives before a start line and reports them
/// (RFC 5626 §3.5.1, RFC 3261 §7.5), finds the empty line that ends the headers, reads the
/// mandatory Content-Length (RFC 3261 §18.3), and enforces a maximum message size. Nothing is
/// copied when the headers lie in one segment.
/// </summary>
/// <remarks>
/// <para>One framer per connection. Call <see cref="Read"/> with the unconsumed bytes; on
/// <see cref="SipFrameStatus.NeedMoreData"/> consume nothing (mark everything examined) and call
/// again with the same start plus the new bytes. The framer remembers how far it already searched,
/// so a slowly arriving message is scanned once.</para>
/// <para>On <see cref="SipFrameStatus.Message"/>, <c>buffer.Slice(0, frame.Length)</c> is the message.
/// When that slice is a single segment, parse <c>slice.First</c> directly; when it spans segments,
/// copy it into a pooled buffer (at most <see cref="MaxMessageSize"/> bytes) and parse that with
/// <see cref="SipFraming.Stream"/>.</para>
/// <para>A ping is CRLFCRLF; a lone CRLF is a pong. A CRLF at the very end of the buffer followed
/// by a CR is held back until the next byte shows which it is.</para>
/// </remarks>
public sealed class SipStreamFramer : IDisposable
{
    /// <summary>Default maximum message size: 64 KiB.</summary>
    public const int DefaultMaxMessageSize = 64 * 1024;

    private static ReadOnlySpan<byte> EndOfHeaders => "\r\n\r\n"u8;

    private byte[]? _scratch;
    private long _searched;
    private long _pendingLength;

    /// <summary>Creates a framer that refuses messages larger than <paramref name="maxMessageSize"/> bytes.</summary>
    public SipStreamFramer(int maxMessageSize = DefaultMaxMessageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageSize, 64);
        MaxMessageSize = maxMessageSize;
    }

    /// <summary>The largest message accepted, headers and body.</summary>
    public int MaxMessageSize { get; }

    /// <summary>Forgets the search position (after the caller dropped bytes on its own).</summary>
    public void Reset()
    {
        _searched = 0;
        _pendingLength = 0;
    }

    /// <summary>Looks at the start of <paramref name="buffer"/> and says what is there.</summary>
    public SipFrame Read(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
            return default;

        // Headers already read on an earlier call; only the body was missing.
        if (_pendingLength > 0)
        {
            if (buffer.Length < _pendingLength)
                return default;
            int length = (int)_pendingLength;
            Reset();
            return new SipFrame(SipFrameStatus.Message, length);
        }

        scoped ReadOnlySpan<byte> head = buffer.FirstSpan;
        Span<byte> small = stackalloc byte[4];
        if (head.Length < 4 && buffer.Length > head.Length)
        {
            int n = (int)Math.Min(4, buffer.Length);
            buffer.Slice(0, n).CopyTo(small);
            head = small.Slice(0, n);
        }

        if (head[0] is (byte)'\r' or (byte)'\n')
            return ReadKeepAlive(head);

        // Search for the empty line, resuming where the last call stopped (minus the 3 bytes a
        // CRLFCRLF split across calls could start in).
        long limit = Math.Min(buffer.Length, MaxMessageSize);
        long from = Math.Max(0, Math.Min(_searched, limit) - 3);
        long headerEnd = FindEndOfHeaders(buffer, from, limit);
        if (headerEnd < 0)
        {
            if (buffer.Length >= MaxMessageSize)
                return Fail(SipParseError.MessageTooLarge, MaxMessageSize);
            _searched = limit;
            return default;
        }

        int headerLength = (int)headerEnd;
        ReadOnlySequence<byte> headerBytes = buffer.Slice(0, headerLength);
        ReadOnlySpan<byte> headers;
        if (headerBytes.IsSingleSegment)
        {
            headers = headerBytes.FirstSpan;
        }
        else
        {
            // The headers span segments: copy them once into a buffer this framer keeps.
            if (_scratch is null || _scratch.Length < headerLength)
            {
                if (_scratch is not null)
                    ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(headerLength, 4096));
            }
            headerBytes.CopyTo(_scratch);
            headers = _scratch.AsSpan(0, headerLength);
        }

        int contentLength = FindContentLength(headers, out SipParseError error, out int errorOffset);
        if (error != SipParseError.None)
            return Fail(error, errorOffset);
        long total = (long)headerLength + contentLength;
        if (total > MaxMessageSize)
            return Fail(SipParseError.MessageTooLarge, headerLength);
        if (buffer.Length < total)
        {
            _pendingLength = total;
            return default;
        }
        Reset();
        return new SipFrame(SipFrameStatus.Message, (int)total);
    }

    /// <summary>Returns the scratch buffer to the pool.</summary>
    public void Dispose()
    {
        if (_scratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }
    }

    private SipFrame ReadKeepAlive(ReadOnlySpan<byte> head)
    {
        Reset();
        if (head[0] == (byte)'\n')
            return Fail(SipParseError.InvalidLineEnding, 0);
        if (head.Length < 2)
            return default;
        if (head[1] != (byte)'\n')
            return Fail(SipParseError.InvalidLineEnding, 0);
        if (head.Length == 2)
            return new SipFrame(SipFrameStatus.Pong, 2);
        if (head[2] != (byte)'\r')
            return new SipFrame(SipFrameStatus.Pong, 2);
        if (head.Length == 3)
            return default;
        if (head[3] != (byte)'\n')
            return Fail(SipParseError.InvalidLineEnding, 2);
        return new SipFrame(SipFrameStatus.Ping, 4);
    }

    private static long FindEndOfHeaders(in ReadOnlySequence<byte> buffer, long from, long limit)
    {
        ReadOnlySequence<byte> window = buffer.Slice(from, limit - from);
        if (window.IsSingleSegment)
        {
            int i = window.FirstSpan.IndexOf(EndOfHeaders);
            return i < 0 ? -1 : from + i + 4;
        }
        var reader = new SequenceReader<byte>(window);
        if (!reader.TryAdvanceTo((byte)'\r', advancePastDelimiter: false))
            return -1;
        while (!reader.End)
        {
            if (reader.IsNext(EndOfHeaders, advancePast: false))
                return from + reader.Consumed + 4;
            reader.Advance(1);
            if (!reader.TryAdvanceTo((byte)'\r', advancePastDelimiter: false))
                return -1;
        }
        return -1;
    }

    /// <summary>
    /// Content-Length from a header block that ends with CRLFCRLF: full or compact name, any case,
    /// folded values, repeated equal values allowed. Missing, malformed or conflicting is an error
    /// on a stream, since the message end cannot be known otherwise (RFC 3261 §18.3).
    /// </summary>
    private static int FindContentLength(ReadOnlySpan<byte> headers, out SipParseError error, out int errorOffset)
    {
        error = SipParseError.None;
        errorOffset = 0;
        int found = -1;
        int pos = headers.IndexOf("\r\n"u8) + 2; // Skip the start line.
        while (pos < headers.Length - 2)
        {
            int rel = headers.Slice(pos).IndexOf("\r\n"u8);
            int lineEnd = pos + rel;
            int valueEnd = lineEnd;
            while (valueEnd + 2 < headers.Length && headers[valueEnd + 2] is (byte)' ' or (byte)'\t')
                valueEnd = valueEnd + 2 + headers.Slice(valueEnd + 2).IndexOf("\r\n"u8);
            ReadOnlySpan<byte> line = headers.Slice(pos, lineEnd - pos);
            int colon = line.IndexOf((byte)':');
            if (colon > 0 && SipHeaderNames.Lookup(SipSyntax.Trim(line.Slice(0, colon))) == SipHeaderId.ContentLength)
            {
                ReadOnlySpan<byte> value = SipSyntax.Trim(headers.Slice(pos + colon + 1, valueEnd - pos - colon - 1));
                if (!SipSyntax.TryParseInt32(value, out int length))
                {
                    error = SipParseError.InvalidContentLength;
                    errorOffset = pos;
                    return -1;
                }
                if (found >= 0 && found != length)
                {
                    error = SipParseError.ConflictingContentLength;
                    errorOffset = pos;
                    return -1;
                }
                found = length;
            }
            pos = valueEnd + 2;
        }
        if (found < 0)
        {
            error = SipParseError.MissingContentLength;
            errorOffset = headers.Length;
        }
        return found;
    }

    private SipFrame Fail(SipParseError error, int offset)
    {
        Reset();
        return new SipFrame(SipFrameStatus.Error, 0, error, offset);
    }
}
