namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// A read session description: the body and the line index <see cref="SdpReader"/> built over it.
/// Every accessor slices the body; nothing is copied or allocated. The view lives as long as the body
/// and the index span it was read into.
/// </summary>
public readonly ref struct SdpSession
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly ReadOnlySpan<SdpLine> _lines;
    private readonly int _firstMediaLine;

    internal SdpSession(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines, int firstMediaLine, int mediaCount)
    {
        _body = body;
        _lines = lines;
        _firstMediaLine = firstMediaLine;
        MediaCount = mediaCount;
    }

    /// <summary>The body the session was read from.</summary>
    public ReadOnlySpan<byte> Body => _body;

    /// <summary>The number of (non-empty) lines.</summary>
    public int LineCount => _lines.Length;

    /// <summary>The number of m= sections.</summary>
    public int MediaCount { get; }

    /// <summary>Every line in body order, unknown types included.</summary>
    public SdpLineEnumerator Lines => new(_body, _lines);

    /// <summary>The session-level lines: everything before the first m=.</summary>
    public SdpLineEnumerator SessionLines => new(_body, SessionLevel);

    /// <summary>The session-level a= lines.</summary>
    public SdpAttributeEnumerator Attributes => new(_body, SessionLevel);

    /// <summary>The media descriptions in order.</summary>
    public SdpMediaEnumerator Media => new(_body, _lines, _firstMediaLine);

    /// <summary>The session-level direction attribute, sendrecv when there is none (RFC 4566 §6).</summary>
    public SdpDirection Direction
    {
        get
        {
            SdpLineSearch.TryFindDirection(_body, SessionLevel, out SdpDirection direction);
            return direction;
        }
    }

    private ReadOnlySpan<SdpLine> SessionLevel => _lines[.._firstMediaLine];

    /// <summary>The line at <paramref name="index"/> (0-based, among non-empty lines).</summary>
    public SdpLineView GetLine(int index)
    {
        SdpLine line = _lines[index];
        return new SdpLineView(line.Type, _body.Slice(line.ValueStart, line.ValueLength), line.LineNumber);
    }

    /// <summary>The media description at <paramref name="index"/> (0-based).</summary>
    public SdpMedia GetMedia(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MediaCount);
        int start = _firstMediaLine;
        for (int skipped = 0; skipped < index; skipped++)
        {
            start = NextMediaLine(_lines, start + 1);
        }

        return new SdpMedia(_body, _lines[start..NextMediaLine(_lines, start + 1)], SessionLevel, index);
    }

    /// <summary>The o= line.</summary>
    public bool TryGetOrigin(out SdpOrigin origin)
    {
        if (SdpLineSearch.TryFindLine(_body, SessionLevel, (byte)'o', out ReadOnlySpan<byte> value)
            && SdpSyntax.TryParseOrigin(
                value,
                out ReadOnlySpan<byte> username,
                out ReadOnlySpan<byte> sessionId,
                out ReadOnlySpan<byte> sessionVersion,
                out ReadOnlySpan<byte> netType,
                out ReadOnlySpan<byte> addressType,
                out ReadOnlySpan<byte> address))
        {
            origin = new SdpOrigin(username, sessionId, sessionVersion, netType, addressType, address);
            return true;
        }

        origin = default;
        return false;
    }

    /// <summary>The s= text; RFC 3264 §5 has offerers write "-" (or, as in RFC 3264 §10, nothing).</summary>
    public bool TryGetSessionName(out ReadOnlySpan<byte> name) =>
        SdpLineSearch.TryFindLine(_body, SessionLevel, (byte)'s', out name);

    /// <summary>The session-level c= line.</summary>
    public bool TryGetConnection(out SdpConnection connection) => TryReadConnection(_body, SessionLevel, out connection);

    /// <summary>The first t= line's start and stop times (NTP seconds; "0 0" for an unbounded session).</summary>
    public bool TryGetTiming(out ulong start, out ulong stop)
    {
        start = 0;
        stop = 0;
        if (!SdpLineSearch.TryFindLine(_body, SessionLevel, (byte)'t', out ReadOnlySpan<byte> value))
        {
            return false;
        }

        ReadOnlySpan<byte> rest = value;
        bool ok = SdpSyntax.TryParseUInt64(SdpSyntax.NextToken(ref rest), ulong.MaxValue, out start)
            & SdpSyntax.TryParseUInt64(SdpSyntax.NextToken(ref rest), ulong.MaxValue, out stop);
        return ok && SdpSyntax.Trim(rest).IsEmpty;
    }

    /// <summary>The value of the first session-level attribute with this name (without ASCII case).</summary>
    public bool TryGetAttribute(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SdpLineSearch.TryFindAttribute(_body, SessionLevel, name, out value, out _);

    /// <summary>True when a session-level attribute with this name exists.</summary>
    public bool HasAttribute(ReadOnlySpan<byte> name) => SdpLineSearch.TryFindAttribute(_body, SessionLevel, name, out _, out _);

    internal static int NextMediaLine(ReadOnlySpan<SdpLine> lines, int from)
    {
        for (int i = from; i < lines.Length; i++)
        {
            if (lines[i].Type == (byte)'m')
            {
                return i;
            }
        }

        return lines.Length;
    }

    internal static bool TryReadConnection(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines, out SdpConnection connection)
    {
        if (SdpLineSearch.TryFindLine(body, lines, (byte)'c', out ReadOnlySpan<byte> value)
            && SdpSyntax.TryParseConnection(
                value,
                out ReadOnlySpan<byte> netType,
                out ReadOnlySpan<byte> addressType,
                out ReadOnlySpan<byte> address,
                out int ttl,
                out int count))
        {
            connection = new SdpConnection(netType, addressType, address, ttl, count);
            return true;
        }

        connection = default;
        return false;
    }
}
