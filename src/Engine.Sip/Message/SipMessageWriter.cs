using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Dialtone.Engine.Sip.Addressing;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// Writes a SIP message straight into an <see cref="IBufferWriter{T}"/>: start line, headers
/// (from spans, numbers, ASCII strings, or copied from a received <see cref="SipMessage"/>), and
/// the body with its Content-Length. Nothing is allocated; bytes are buffered in the span the
/// output hands out and committed by <see cref="Flush"/>, which must be called at the end.
/// </summary>
/// <remarks>
/// The writer does not check that the caller follows the grammar: values are written as given.
/// Header values copied from a parsed message are already known to be well-formed lines.
/// </remarks>
public ref struct SipMessageWriter
{
    private const int MinimumBufferSize = 512;

    private readonly IBufferWriter<byte> _output;
    private Span<byte> _span;
    private int _buffered;
    private long _committed;

    /// <summary>Creates a writer over <paramref name="output"/>.</summary>
    public SipMessageWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _span = default;
        _buffered = 0;
        _committed = 0;
    }

    /// <summary>Bytes written so far (committed and buffered).</summary>
    public readonly long BytesWritten => _committed + _buffered;

    /// <summary>Commits the buffered bytes to the output. Call once the message is complete.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _output.Advance(_buffered);
            _committed += _buffered;
            _buffered = 0;
            _span = default;
        }
    }

    /// <summary>Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1).</summary>
    public void WriteRequestLine(SipMethod method, scoped ReadOnlySpan<byte> requestUri)
    {
        ReadOnlySpan<byte> name = SipMethods.GetName(method);
        if (name.IsEmpty)
            throw new ArgumentException("An extension method needs its name; use the span overload.", nameof(method));
        WriteRequestLine(name, requestUri);
    }

    /// <summary>Request-Line with a method token given as bytes (for extension methods).</summary>
    public void WriteRequestLine(scoped ReadOnlySpan<byte> method, scoped ReadOnlySpan<byte> requestUri)
    {
        Span<byte> s = Reserve(method.Length + requestUri.Length + 11);
        int n = Put(s, 0, method);
        s[n++] = (byte)' ';
        n = Put(s, n, requestUri);
        n = Put(s, n, " SIP/2.0\r\n"u8);
        _buffered += n;
    }

    /// <summary>Status-Line with the default reason phrase for the code.</summary>
    public void WriteStatusLine(int statusCode) => WriteStatusLine(statusCode, SipReasonPhrases.Get(statusCode));

    /// <summary>Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (RFC 3261 §7.2).</summary>
    public void WriteStatusLine(int statusCode, scoped ReadOnlySpan<byte> reasonPhrase)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 699);
        Span<byte> s = Reserve(reasonPhrase.Length + 15);
        int n = Put(s, 0, "SIP/2.0 "u8);
        s[n++] = (byte)('0' + statusCode / 100);
        s[n++] = (byte)('0' + statusCode / 10 % 10);
        s[n++] = (byte)('0' + statusCode % 10);
        s[n++] = (byte)' ';
        n = Put(s, n, reasonPhrase);
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    /// <summary>Writes "Name: value" CRLF with the canonical name of a known header.</summary>
    public void WriteHeader(SipHeaderId id, scoped ReadOnlySpan<byte> value) => WriteHeader(NameOf(id), value);

    /// <summary>Writes "Name: value" CRLF.</summary>
    public void WriteHeader(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> s = Reserve(name.Length + value.Length + 4);
        int n = Put(s, 0, name);
        s[n++] = (byte)':';
        s[n++] = (byte)' ';
        n = Put(s, n, value);
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    /// <summary>Writes a header whose value is an ASCII string (non-ASCII is refused: encode UTF-8 yourself).</summary>
    public void WriteHeader(SipHeaderId id, string asciiValue) => WriteHeader(NameOf(id), asciiValue);

    /// <summary>Writes a header whose value is an ASCII string.</summary>
    public void WriteHeader(scoped ReadOnlySpan<byte> name, string asciiValue)
    {
        ArgumentNullException.ThrowIfNull(asciiValue);
        Span<byte> s = Reserve(name.Length + asciiValue.Length + 4);
        int n = Put(s, 0, name);
        s[n++] = (byte)':';
        s[n++] = (byte)' ';
        if (Ascii.FromUtf16(asciiValue, s.Slice(n), out int written) != OperationStatus.Done)
            throw new ArgumentException("The value must be ASCII.", nameof(asciiValue));
        n += written;
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    /// <summary>Writes a header whose value is a non-negative number.</summary>
    public void WriteHeader(SipHeaderId id, long value) => WriteHeader(NameOf(id), value);

    /// <summary>Writes a header whose value is a non-negative number.</summary>
    public void WriteHeader(scoped ReadOnlySpan<byte> name, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Span<byte> s = Reserve(name.Length + 24);
        int n = Put(s, 0, name);
        s[n++] = (byte)':';
        s[n++] = (byte)' ';
        n = PutNumber(s, n, value);
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    /// <summary>
    /// Copies one header line of a received message: the canonical name for a known header (so a
    /// compact form is expanded), the received name otherwise, and the value as received.
    /// </summary>
    public void CopyHeader(SipMessage source, scoped in SipHeader header)
    {
        ReadOnlySpan<byte> name = header.Id == SipHeaderId.Other ? source.GetName(header) : NameOf(header.Id);
        WriteHeader(name, source.GetValue(header));
    }

    /// <summary>Copies every line of a header, in order; returns how many lines were copied.</summary>
    public int CopyHeaders(SipMessage source, SipHeaderId id)
    {
        int count = 0;
        foreach (SipHeader h in source.GetHeaders(id))
        {
            CopyHeader(source, h);
            count++;
        }
        return count;
    }

    /// <summary>Copies the first line of a header; false when the source has none.</summary>
    public bool CopyFirstHeader(SipMessage source, SipHeaderId id)
    {
        if (!source.TryGetHeader(id, out SipHeader h))
            return false;
        CopyHeader(source, h);
        return true;
    }

    /// <summary>
    /// Via: SIP/2.0/{transport} {host}[:{port}];branch={branch}[;rport] (RFC 3261 §8.1.1.7, RFC 3581).
    /// A port of 0 or less is left out.
    /// </summary>
    public void WriteVia(scoped ReadOnlySpan<byte> transport, scoped ReadOnlySpan<byte> host, int port, scoped ReadOnlySpan<byte> branch, bool rport = true)
    {
        Span<byte> s = Reserve(transport.Length + host.Length + branch.Length + 40);
        int n = Put(s, 0, "Via: SIP/2.0/"u8);
        n = Put(s, n, transport);
        s[n++] = (byte)' ';
        n = Put(s, n, host);
        if (port > 0)
        {
            s[n++] = (byte)':';
            n = PutNumber(s, n, port);
        }
        n = Put(s, n, ";branch="u8);
        n = Put(s, n, branch);
        if (rport)
            n = Put(s, n, ";rport"u8);
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    /// <summary>
    /// Writes a name-addr header: <c>Name: ["display" ]&lt;uri&gt;[;tag=tag]</c>. The display name is
    /// written as a quoted string with '"' and '\' escaped (RFC 3261 §25.1 quoted-pair).
    /// </summary>
    public void WriteNameAddress(SipHeaderId id, scoped ReadOnlySpan<byte> displayName, scoped ReadOnlySpan<byte> uri, scoped ReadOnlySpan<byte> tag)
    {
        ReadOnlySpan<byte> name = NameOf(id);
        Span<byte> s = Reserve(name.Length + displayName.Length * 2 + uri.Length + tag.Length + 16);
        int n = Put(s, 0, name);
        s[n++] = (byte)':';
        s[n++] = (byte)' ';
        if (!displayName.IsEmpty)
        {
            s[n++] = (byte)'"';
            foreach (byte b in displayName)
            {
                if (b is (byte)'"' or (byte)'\\')
                    s[n++] = (byte)'\\';
                s[n++] = b;
            }
            s[n++] = (byte)'"';
            s[n++] = (byte)' ';
        }
        s[n++] = (byte)'<';
        n = Put(s, n, uri);
        s[n++] = (byte)'>';
        if (!tag.IsEmpty)
        {
            n = Put(s, n, ";tag="u8);
            n = Put(s, n, tag);
        }
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    /// <summary>From with display name, URI and tag (RFC 3261 §8.1.1.3).</summary>
    public void WriteFrom(scoped ReadOnlySpan<byte> displayName, scoped ReadOnlySpan<byte> uri, scoped ReadOnlySpan<byte> tag) =>
        WriteNameAddress(SipHeaderId.From, displayName, uri, tag);

    /// <summary>To with display name, URI and (for in-dialog requests) tag (RFC 3261 §8.1.1.2).</summary>
    public void WriteTo(scoped ReadOnlySpan<byte> displayName, scoped ReadOnlySpan<byte> uri, scoped ReadOnlySpan<byte> tag) =>
        WriteNameAddress(SipHeaderId.To, displayName, uri, tag);

    /// <summary>Contact: &lt;uri&gt;.</summary>
    public void WriteContact(scoped ReadOnlySpan<byte> uri) => WriteNameAddress(SipHeaderId.Contact, default, uri, default);

    /// <summary>Call-ID.</summary>
    public void WriteCallId(scoped ReadOnlySpan<byte> callId) => WriteHeader("Call-ID"u8, callId);

    /// <summary>CSeq: number method (RFC 3261 §20.16).</summary>
    public void WriteCSeq(uint number, SipMethod method)
    {
        ReadOnlySpan<byte> name = SipMethods.GetName(method);
        if (name.IsEmpty)
            throw new ArgumentException("An extension method needs its name; use the span overload.", nameof(method));
        WriteCSeq(number, name);
    }

    /// <summary>CSeq with a method token given as bytes.</summary>
    public void WriteCSeq(uint number, scoped ReadOnlySpan<byte> method)
    {
        Span<byte> s = Reserve(method.Length + 20);
        int n = Put(s, 0, "CSeq: "u8);
        n = PutNumber(s, n, number);
        s[n++] = (byte)' ';
        n = Put(s, n, method);
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    /// <summary>Max-Forwards (RFC 3261 §8.1.1.6 recommends 70).</summary>
    public void WriteMaxForwards(int hops = 70) => WriteHeader("Max-Forwards"u8, hops);

    /// <summary>Content-Type.</summary>
    public void WriteContentType(scoped ReadOnlySpan<byte> mediaType) => WriteHeader("Content-Type"u8, mediaType);

    /// <summary>Ends the headers of a message without a body: "Content-Length: 0", then the empty line.</summary>
    public void WriteEmptyBody() => WriteBody(default);

    /// <summary>
    /// Writes "Content-Length: {body.Length}", the empty line and the body: the length always
    /// matches what is written (RFC 3261 §18.3, §20.14).
    /// </summary>
    public void WriteBody(scoped ReadOnlySpan<byte> body)
    {
        Span<byte> s = Reserve(30);
        int n = Put(s, 0, "Content-Length: "u8);
        n = PutNumber(s, n, body.Length);
        n = Put(s, n, "\r\n\r\n"u8);
        _buffered += n;
        WriteRaw(body);
    }

    /// <summary>Writes bytes as they are.</summary>
    public void WriteRaw(scoped ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            Span<byte> s = Reserve(Math.Min(bytes.Length, 4096));
            int chunk = Math.Min(bytes.Length, s.Length);
            bytes.Slice(0, chunk).CopyTo(s);
            _buffered += chunk;
            bytes = bytes.Slice(chunk);
        }
    }

    /// <summary>
    /// Writes the status line and the headers a UAS response copies from its request (RFC 3261
    /// §8.2.6.2): every Via in order, From, To (adding <paramref name="toTag"/> when the request's
    /// To has no tag), Call-ID and CSeq; and, when <paramref name="copyRecordRoute"/> is set (a
    /// dialog-creating response, §12.1.1), the Record-Route lines. The caller adds its own headers
    /// and ends with <see cref="WriteBody"/> or <see cref="WriteEmptyBody"/>.
    /// </summary>
    public void WriteResponseTo(SipMessage request, int statusCode, scoped ReadOnlySpan<byte> toTag, bool copyRecordRoute = false)
    {
        WriteStatusLine(statusCode);
        CopyHeaders(request, SipHeaderId.Via);
        CopyFirstHeader(request, SipHeaderId.From);
        if (request.TryGetHeader(SipHeaderId.To, out SipHeader to))
        {
            ReadOnlySpan<byte> value = request.GetValue(to);
            // A 100 Trying carries no tag (§8.2.6.1); other responses add one when missing (§8.2.6.2).
            if (!toTag.IsEmpty && statusCode != 100 && SipNameAddress.TryParse(value, out var address) && !address.HasTag)
                WriteHeaderWithTag("To"u8, value, toTag);
            else
                WriteHeader("To"u8, value);
        }
        CopyFirstHeader(request, SipHeaderId.CallId);
        CopyFirstHeader(request, SipHeaderId.CSeq);
        if (copyRecordRoute)
            CopyHeaders(request, SipHeaderId.RecordRoute);
    }

    /// <summary>
    /// Writes the ACK for a non-2xx final response to an INVITE (RFC 3261 §17.1.1.3): the INVITE's
    /// Request-URI, its top Via only, its From, Call-ID and Route set, the response's To (with the
    /// tag), CSeq with the INVITE's number and method ACK, and Max-Forwards 70. The caller ends the
    /// message with <see cref="WriteEmptyBody"/>.
    /// </summary>
    public void WriteAckForNon2xx(SipMessage invite, SipMessage response)
    {
        WriteRequestLine("ACK"u8, invite.RequestUri);
        CopyFirstHeader(invite, SipHeaderId.Via);
        WriteMaxForwards();
        CopyFirstHeader(invite, SipHeaderId.From);
        CopyFirstHeader(response, SipHeaderId.To);
        CopyFirstHeader(invite, SipHeaderId.CallId);
        WriteCSeq(CSeqNumberOf(invite), "ACK"u8);
        CopyHeaders(invite, SipHeaderId.Route);
    }

    /// <summary>
    /// Writes a CANCEL for a pending request (RFC 3261 §9.1): same Request-URI, Call-ID, To, From,
    /// CSeq number (method CANCEL), the top Via only, the Route set, and Max-Forwards 70. The
    /// caller ends the message with <see cref="WriteEmptyBody"/>.
    /// </summary>
    public void WriteCancelFor(SipMessage request)
    {
        WriteRequestLine("CANCEL"u8, request.RequestUri);
        CopyFirstHeader(request, SipHeaderId.Via);
        WriteMaxForwards();
        CopyFirstHeader(request, SipHeaderId.From);
        CopyFirstHeader(request, SipHeaderId.To);
        CopyFirstHeader(request, SipHeaderId.CallId);
        WriteCSeq(CSeqNumberOf(request), "CANCEL"u8);
        CopyHeaders(request, SipHeaderId.Route);
    }

    private void WriteHeaderWithTag(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value, scoped ReadOnlySpan<byte> tag)
    {
        Span<byte> s = Reserve(name.Length + value.Length + tag.Length + 10);
        int n = Put(s, 0, name);
        s[n++] = (byte)':';
        s[n++] = (byte)' ';
        n = Put(s, n, value);
        n = Put(s, n, ";tag="u8);
        n = Put(s, n, tag);
        s[n++] = (byte)'\r';
        s[n++] = (byte)'\n';
        _buffered += n;
    }

    private static uint CSeqNumberOf(SipMessage message) =>
        Headers.SipCSeq.TryParse(message.GetValue(SipHeaderId.CSeq), out var cseq)
            ? cseq.Number
            : throw new ArgumentException("The message has no valid CSeq.", nameof(message));

    private static ReadOnlySpan<byte> NameOf(SipHeaderId id)
    {
        ReadOnlySpan<byte> name = SipHeaderNames.GetName(id);
        if (name.IsEmpty)
            throw new ArgumentException("Other headers need their name; use the name overload.", nameof(id));
        return name;
    }

    /// <summary>A span of at least <paramref name="size"/> free bytes after the buffered ones.</summary>
    private Span<byte> Reserve(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Flush();
            _span = _output.GetSpan(Math.Max(size, MinimumBufferSize));
            if (_span.Length < size)
                throw new InvalidOperationException("The output returned a buffer smaller than requested.");
        }
        return _span.Slice(_buffered);
    }

    private static int Put(Span<byte> s, int at, scoped ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(s.Slice(at));
        return at + bytes.Length;
    }

    private static int PutNumber(Span<byte> s, int at, long value)
    {
        Utf8Formatter.TryFormat(value, s.Slice(at), out int written);
        return at + written;
    }
}
