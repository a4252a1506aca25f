using System.Runtime.InteropServices;
using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Headers;

namespace Dialtone.Engine.Sip.Message;

/// <summary>
/// A parsed SIP message: a reference to the bytes it was parsed from plus an index of offsets for
/// the start line, every header line and the body. Reusable: <see cref="Parse(ReadOnlyMemory{byte}, SipFraming)"/>
/// resets and refills the same instance without allocating, so instances can be pooled.
/// </summary>
/// <remarks>
/// The caller owns the buffer and must keep it unchanged while the message (or any span taken
/// from it) is in use. Header values are stored as found; typed views such as
/// <see cref="SipVia"/> or <see cref="SipNameAddress"/> parse them on demand.
/// </remarks>
public sealed class SipMessage
{
    /// <summary>The default number of header lines a message indexes.</summary>
    public const int DefaultMaxHeaders = 64;

    private readonly SipHeader[] _headers;
    private readonly short[] _next;
    private readonly short[] _first = new short[SipHeaderNames.IdCount];
    private readonly short[] _last = new short[SipHeaderNames.IdCount];
    private readonly short[] _count = new short[SipHeaderNames.IdCount];
    private ReadOnlyMemory<byte> _buffer;
    private byte[]? _array;
    private int _arrayOffset;
    private int _headerCount;
    private bool _parsed;
    private bool _isRequest;
    private SipMethod _method;
    private int _methodLength;
    private int _uriOffset, _uriLength;
    private int _versionOffset, _versionLength;
    private int _statusCode;
    private int _reasonOffset, _reasonLength;
    private int _bodyOffset, _bodyLength;
    private int _contentLength = -1;

    /// <summary>Creates a message that indexes up to <paramref name="maxHeaders"/> header lines.</summary>
    /// <param name="maxHeaders">1 to 4096; a message with more header lines is rejected with
    /// <see cref="SipParseError.TooManyHeaders"/>.</param>
    public SipMessage(int maxHeaders = DefaultMaxHeaders)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxHeaders, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxHeaders, 4096);
        _headers = new SipHeader[maxHeaders];
        _next = new short[maxHeaders];
        Reset();
    }

    /// <summary>The most header lines this instance indexes.</summary>
    public int MaxHeaders => _headers.Length;

    /// <summary>
    /// Parses <paramref name="data"/> into this instance, replacing whatever it held. On failure the
    /// instance is left empty (<see cref="IsParsed"/> is false).
    /// </summary>
    public SipParseResult Parse(ReadOnlyMemory<byte> data, SipFraming framing = SipFraming.Datagram)
    {
        Reset();
        _buffer = data;
        // Every accessor slices the buffer: keep the backing array, when there is one, so that
        // getting the span is a plain construction instead of ReadOnlyMemory's type checks.
        if (MemoryMarshal.TryGetArray(data, out ArraySegment<byte> segment))
        {
            _array = segment.Array;
            _arrayOffset = segment.Offset;
        }
        var result = SipParser.Parse(this, data.Span, framing);
        if (result.IsSuccess)
            _parsed = true;
        else
            Reset();
        return result;
    }

    /// <summary>Forgets the parsed message and its buffer.</summary>
    public void Reset()
    {
        _buffer = default;
        _array = null;
        _arrayOffset = 0;
        _parsed = false;
        _headerCount = 0;
        _isRequest = false;
        _method = SipMethod.Extension;
        _methodLength = _uriOffset = _uriLength = _versionOffset = _versionLength = 0;
        _statusCode = _reasonOffset = _reasonLength = 0;
        _bodyOffset = _bodyLength = 0;
        _contentLength = -1;
        _first.AsSpan().Fill(-1);
        _last.AsSpan().Fill(-1);
        _count.AsSpan().Clear();
    }

    /// <summary>True after a successful parse.</summary>
    public bool IsParsed => _parsed;

    /// <summary>The bytes the message was parsed from (the whole input, including any ignored trailing bytes).</summary>
    public ReadOnlyMemory<byte> Buffer => _buffer;

    /// <summary>The bytes the message was parsed from, as a span.</summary>
    public ReadOnlySpan<byte> Span => _array is not null ? new ReadOnlySpan<byte>(_array, _arrayOffset, _buffer.Length) : _buffer.Span;

    /// <summary>Length of the message proper: start line, headers, empty line and body.</summary>
    public int Length => _bodyOffset + _bodyLength;

    /// <summary>True for a request, false for a response.</summary>
    public bool IsRequest => _isRequest;

    /// <summary>True for a response.</summary>
    public bool IsResponse => _parsed && !_isRequest;

    /// <summary>The request method; <see cref="SipMethod.Extension"/> for unknown methods and for responses.</summary>
    public SipMethod Method => _method;

    /// <summary>The method token as received (requests only).</summary>
    public ReadOnlySpan<byte> MethodName => Span.Slice(0, _methodLength);

    /// <summary>The Request-URI as received (requests only).</summary>
    public ReadOnlySpan<byte> RequestUri => Span.Slice(_uriOffset, _uriLength);

    /// <summary>The SIP-Version token of the start line, e.g. "SIP/2.0".</summary>
    public ReadOnlySpan<byte> Version => Span.Slice(_versionOffset, _versionLength);

    /// <summary>True when the version is SIP/2.0 (compared case-insensitively, RFC 3261 §7.1).</summary>
    public bool IsSip20 => Ascii.EqualsIgnoreCase(Version, "SIP/2.0"u8);

    /// <summary>The status code (responses only; 0 for requests).</summary>
    public int StatusCode => _statusCode;

    /// <summary>The reason phrase (responses only).</summary>
    public ReadOnlySpan<byte> ReasonPhrase => Span.Slice(_reasonOffset, _reasonLength);

    /// <summary>Offset of the body in <see cref="Buffer"/>.</summary>
    public int BodyOffset => _bodyOffset;

    /// <summary>The body: Content-Length bytes after the empty line, or the rest of the datagram when Content-Length is absent.</summary>
    public ReadOnlySpan<byte> Body => Span.Slice(_bodyOffset, _bodyLength);

    /// <summary>The body as memory (same bytes as <see cref="Body"/>).</summary>
    public ReadOnlyMemory<byte> BodyMemory => _buffer.Slice(_bodyOffset, _bodyLength);

    /// <summary>The Content-Length value, or -1 when the header is absent.</summary>
    public int ContentLength => _contentLength;

    /// <summary>Number of header lines.</summary>
    public int HeaderCount => _headerCount;

    /// <summary>All header lines in order of arrival.</summary>
    public ReadOnlySpan<SipHeader> Headers => _headers.AsSpan(0, _headerCount);

    /// <summary>The header line at <paramref name="index"/>.</summary>
    public ref readonly SipHeader GetHeader(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)_headerCount, nameof(index));
        return ref _headers[index];
    }

    /// <summary>The name of a header line as received.</summary>
    public ReadOnlySpan<byte> GetName(scoped in SipHeader header) => Span.Slice(header.NameOffset, header.NameLength);

    /// <summary>The value of a header line (trimmed; folds kept).</summary>
    public ReadOnlySpan<byte> GetValue(scoped in SipHeader header) => Span.Slice(header.ValueOffset, header.ValueLength);

    /// <summary>The raw line of a header, from its name to the end of its value.</summary>
    public ReadOnlySpan<byte> GetLine(scoped in SipHeader header) =>
        Span.Slice(header.NameOffset, header.ValueOffset + header.ValueLength - header.NameOffset);

    /// <summary>How many header lines carry <paramref name="id"/>.</summary>
    public int Count(SipHeaderId id) => id == SipHeaderId.Other ? CountOther() : _count[(int)id];

    /// <summary>True when at least one header line carries <paramref name="id"/>.</summary>
    public bool Contains(SipHeaderId id) => id != SipHeaderId.Other && _first[(int)id] >= 0;

    /// <summary>The first header line with <paramref name="id"/>, in O(1).</summary>
    public bool TryGetHeader(SipHeaderId id, out SipHeader header)
    {
        int index = id == SipHeaderId.Other ? -1 : _first[(int)id];
        if (index < 0)
        {
            header = default;
            return false;
        }
        header = _headers[index];
        return true;
    }

    /// <summary>The first header line with this name (any form, any case).</summary>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out SipHeader header)
    {
        SipHeaderId id = SipHeaderNames.Lookup(name);
        if (id != SipHeaderId.Other)
            return TryGetHeader(id, out header);
        ReadOnlySpan<byte> span = Span;
        foreach (ref readonly SipHeader h in Headers)
        {
            if (h.Id == SipHeaderId.Other && Ascii.EqualsIgnoreCase(span.Slice(h.NameOffset, h.NameLength), name))
            {
                header = h;
                return true;
            }
        }
        header = default;
        return false;
    }

    /// <summary>The value of the first header line with <paramref name="id"/>, or empty.</summary>
    public ReadOnlySpan<byte> GetValue(SipHeaderId id) =>
        TryGetHeader(id, out SipHeader h) ? Span.Slice(h.ValueOffset, h.ValueLength) : default;

    /// <summary>The value of the first header line with this name, or empty.</summary>
    public ReadOnlySpan<byte> GetValue(ReadOnlySpan<byte> name) =>
        TryGetHeader(name, out SipHeader h) ? Span.Slice(h.ValueOffset, h.ValueLength) : default;

    /// <summary>Every header line with <paramref name="id"/>, in order.</summary>
    public SipHeaderLineEnumerator GetHeaders(SipHeaderId id) => new(this, id, default);

    /// <summary>Every header line with this name (any form, any case), in order.</summary>
    public SipHeaderLineEnumerator GetHeaders(ReadOnlySpan<byte> name)
    {
        SipHeaderId id = SipHeaderNames.Lookup(name);
        return new(this, id, id == SipHeaderId.Other ? name : default);
    }

    /// <summary>
    /// Every comma-separated value of the header <paramref name="id"/> across all its lines
    /// (RFC 3261 §7.3.1), respecting quoted strings and &lt;...&gt;. Only meaningful for headers
    /// whose grammar is a comma list (Via, Contact, Route, Record-Route, Allow, Supported, ...),
    /// not for Date, the authentication headers or free text.
    /// </summary>
    public SipHeaderValueEnumerator GetValues(SipHeaderId id) => new(GetHeaders(id));

    /// <summary>Every comma-separated value of the header with this name across all its lines.</summary>
    public SipHeaderValueEnumerator GetValues(ReadOnlySpan<byte> name) => new(GetHeaders(name));

    /// <summary>The Call-ID value (RFC 3261 §20.8), or empty.</summary>
    public ReadOnlySpan<byte> CallId => GetValue(SipHeaderId.CallId);

    /// <summary>The first (topmost) via-parm of the first Via line.</summary>
    public bool TryGetTopVia(out SipVia via)
    {
        if (!TryGetHeader(SipHeaderId.Via, out SipHeader h))
        {
            via = default;
            return false;
        }
        // The parse reads the first via-parm of the line and stops at the comma after it: the
        // same result as parsing FirstElement(SipHeaderId.Via), without searching for the comma.
        return SipVia.TryParseFirst(GetValue(h), out via);
    }

    /// <summary>The CSeq (RFC 3261 §20.16).</summary>
    public bool TryGetCSeq(out SipCSeq cseq)
    {
        if (!TryGetHeader(SipHeaderId.CSeq, out SipHeader h))
        {
            cseq = default;
            return false;
        }
        return SipCSeq.TryParse(GetValue(h), out cseq);
    }

    /// <summary>The From address with its tag (RFC 3261 §20.20).</summary>
    public bool TryGetFrom(out SipNameAddress from)
    {
        if (!TryGetHeader(SipHeaderId.From, out SipHeader h))
        {
            from = default;
            return false;
        }
        return SipNameAddress.TryParse(GetValue(h), out from);
    }

    /// <summary>The To address with its tag (RFC 3261 §20.39).</summary>
    public bool TryGetTo(out SipNameAddress to)
    {
        if (!TryGetHeader(SipHeaderId.To, out SipHeader h))
        {
            to = default;
            return false;
        }
        return SipNameAddress.TryParse(GetValue(h), out to);
    }

    /// <summary>The first Contact address (RFC 3261 §20.10); "*" is accepted.</summary>
    public bool TryGetContact(out SipNameAddress contact)
    {
        ReadOnlySpan<byte> first = FirstElement(SipHeaderId.Contact);
        if (first.IsEmpty)
        {
            contact = default;
            return false;
        }
        return SipNameAddress.TryParse(first, out contact, allowWildcard: true);
    }

    /// <summary>Max-Forwards (0-255, RFC 3261 §20.22).</summary>
    public bool TryGetMaxForwards(out int hops)
    {
        hops = 0;
        return TryGetHeader(SipHeaderId.MaxForwards, out SipHeader h) && SipHeaderValues.TryParseMaxForwards(GetValue(h), out hops);
    }

    /// <summary>The Content-Type (RFC 3261 §20.15).</summary>
    public bool TryGetContentType(out SipContentType contentType)
    {
        contentType = default;
        return TryGetHeader(SipHeaderId.ContentType, out SipHeader h) && SipContentType.TryParse(GetValue(h), out contentType);
    }

    /// <summary>The first comma-separated element of the first line of a header, or empty.</summary>
    public ReadOnlySpan<byte> FirstElement(SipHeaderId id)
    {
        if (!TryGetHeader(id, out SipHeader h))
            return default;
        ReadOnlySpan<byte> value = GetValue(h);
        int comma = SipHeaderValueEnumerator.FindSeparator(value);
        return comma < 0 ? value : SipSyntax.Trim(value.Slice(0, comma));
    }

    internal int FirstIndex(SipHeaderId id) => _first[(int)id];

    internal int NextIndex(int index) => _next[index];

    internal bool AddHeader(scoped in SipHeader header)
    {
        int index = _headerCount;
        if (index >= _headers.Length)
            return false;
        _headers[index] = header;
        _next[index] = -1;
        int id = (int)header.Id;
        if (id != 0)
        {
            if (_first[id] < 0)
                _first[id] = (short)index;
            else
                _next[_last[id]] = (short)index;
            _last[id] = (short)index;
            _count[id]++;
        }
        _headerCount = index + 1;
        return true;
    }

    internal void SetRequestLine(SipMethod method, int methodLength, int uriOffset, int uriLength, int versionOffset, int versionLength)
    {
        _isRequest = true;
        _method = method;
        _methodLength = methodLength;
        _uriOffset = uriOffset;
        _uriLength = uriLength;
        _versionOffset = versionOffset;
        _versionLength = versionLength;
    }

    internal void SetStatusLine(int versionOffset, int versionLength, int statusCode, int reasonOffset, int reasonLength)
    {
        _isRequest = false;
        _versionOffset = versionOffset;
        _versionLength = versionLength;
        _statusCode = statusCode;
        _reasonOffset = reasonOffset;
        _reasonLength = reasonLength;
    }

    internal void SetBody(int bodyOffset, int bodyLength, int contentLength)
    {
        _bodyOffset = bodyOffset;
        _bodyLength = bodyLength;
        _contentLength = contentLength;
    }

    private int CountOther()
    {
        int n = 0;
        foreach (ref readonly SipHeader h in Headers)
        {
            if (h.Id == SipHeaderId.Other)
                n++;
        }
        return n;
    }
}
