namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// One media description: an m= line and the lines after it up to the next m= (RFC 4566 §5). Typed
/// accessors parse on demand and fall back to the session level where RFC 4566 says a session-level
/// line is the default (c=, direction).
/// </summary>
public readonly ref struct SdpMedia
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly ReadOnlySpan<SdpLine> _lines;
    private readonly ReadOnlySpan<SdpLine> _sessionLines;

    internal SdpMedia(ReadOnlySpan<byte> body, ReadOnlySpan<SdpLine> lines, ReadOnlySpan<SdpLine> sessionLines, int index)
    {
        _body = body;
        _lines = lines;
        _sessionLines = sessionLines;
        Index = index;
        SdpLine mediaLine = lines[0];

        // The reader has already checked the m= line, so this cannot fail on a read session.
        SdpSyntax.TryParseMediaLine(
            body.Slice(mediaLine.ValueStart, mediaLine.ValueLength),
            out ReadOnlySpan<byte> mediaType,
            out int port,
            out int portCount,
            out ReadOnlySpan<byte> protocol,
            out ReadOnlySpan<byte> formats);
        MediaType = mediaType;
        Port = port;
        PortCount = portCount;
        Protocol = protocol;
        FormatList = formats;
    }

    /// <summary>The 0-based position of this m= line in the description; answers keep the same order (RFC 3264 §6).</summary>
    public int Index { get; }

    /// <summary>The 1-based line number of the m= line.</summary>
    public int LineNumber => _lines[0].LineNumber;

    /// <summary>The media type, e.g. "audio".</summary>
    public ReadOnlySpan<byte> MediaType { get; }

    /// <summary>The transport port; 0 marks a rejected or disabled stream (RFC 3264 §6, §8.2).</summary>
    public int Port { get; }

    /// <summary>The number of ports after "/" in the port field; 1 when absent.</summary>
    public int PortCount { get; }

    /// <summary>The transport protocol, e.g. "RTP/AVP" or "RTP/SAVP".</summary>
    public ReadOnlySpan<byte> Protocol { get; }

    /// <summary>The format list as written (payload type numbers for RTP).</summary>
    public ReadOnlySpan<byte> FormatList { get; }

    /// <summary>True when the port is 0.</summary>
    public bool IsRejected => Port == 0;

    /// <summary>True for m=audio.</summary>
    public bool IsAudio => SdpSyntax.NameEquals(MediaType, "audio"u8);

    /// <summary>True for the plain RTP audio/video profile "RTP/AVP" (RFC 3551), the only one a G.711 call needs.</summary>
    public bool IsRtpAvp => SdpSyntax.NameEquals(Protocol, "RTP/AVP"u8);

    /// <summary>The format tokens in order.</summary>
    public SdpTokenEnumerator Formats => new(FormatList);

    /// <summary>The RTP payload type numbers in the sender's order of preference.</summary>
    public SdpPayloadTypeEnumerator PayloadTypes => new(FormatList);

    /// <summary>All lines of this media description, the m= line first.</summary>
    public SdpLineEnumerator Lines => new(_body, _lines);

    /// <summary>The a= lines of this media description.</summary>
    public SdpAttributeEnumerator Attributes => new(_body, _lines);

    /// <summary>
    /// The effective direction: a media-level attribute, else the session-level one, else sendrecv
    /// (RFC 4566 §6, RFC 3264 §5.1).
    /// </summary>
    public SdpDirection Direction
    {
        get
        {
            if (SdpLineSearch.TryFindDirection(_body, _lines, out SdpDirection direction))
            {
                return direction;
            }

            SdpLineSearch.TryFindDirection(_body, _sessionLines, out direction);
            return direction;
        }
    }

    /// <summary>True when this media description carries its own direction attribute.</summary>
    public bool HasOwnDirection => SdpLineSearch.TryFindDirection(_body, _lines, out _);

    /// <summary>True when the format list names <paramref name="payloadType"/>.</summary>
    public bool HasPayloadType(int payloadType)
    {
        foreach (int listed in PayloadTypes)
        {
            if (listed == payloadType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>This media description's own c= line.</summary>
    public bool TryGetConnection(out SdpConnection connection) => SdpSession.TryReadConnection(_body, _lines, out connection);

    /// <summary>The c= that applies to this stream: its own, else the session's (RFC 4566 §5.7).</summary>
    public bool TryGetEffectiveConnection(out SdpConnection connection) =>
        SdpSession.TryReadConnection(_body, _lines, out connection)
        || SdpSession.TryReadConnection(_body, _sessionLines, out connection);

    /// <summary>
    /// What <paramref name="payloadType"/> stands for: the a=rtpmap line for it, else the RFC 3551 static
    /// assignment. False when neither exists or the rtpmap line is malformed and the type is dynamic.
    /// </summary>
    public bool TryGetRtpMap(int payloadType, out SdpRtpMap map)
    {
        if (SdpLineSearch.TryFindPayloadAttribute(_body, _lines, "rtpmap"u8, payloadType, out ReadOnlySpan<byte> value)
            && SdpRtpMap.TryParse(value, out map))
        {
            return true;
        }

        return SdpStaticPayloadTypes.TryGet(payloadType, out map);
    }

    /// <summary>
    /// The first payload type of the format list whose rtpmap (or static assignment) is this encoding,
    /// e.g. ("telephone-event", 8000) to find the RFC 4733 events type.
    /// </summary>
    public bool TryFindPayloadType(ReadOnlySpan<byte> encodingName, int clockRate, out int payloadType)
    {
        foreach (int listed in PayloadTypes)
        {
            if (TryGetRtpMap(listed, out SdpRtpMap map) && map.Matches(encodingName, clockRate, map.Channels))
            {
                payloadType = listed;
                return true;
            }
        }

        payloadType = -1;
        return false;
    }

    /// <summary>The format parameters of a=fmtp:&lt;payloadType&gt; (RFC 4566 §6), e.g. "0-15" for telephone-event.</summary>
    public bool TryGetFmtp(int payloadType, out ReadOnlySpan<byte> parameters)
    {
        if (SdpLineSearch.TryFindPayloadAttribute(_body, _lines, "fmtp"u8, payloadType, out ReadOnlySpan<byte> value))
        {
            SdpSyntax.TryParsePayloadTypePrefix(value, out _, out parameters);
            return true;
        }

        parameters = default;
        return false;
    }

    /// <summary>a=ptime in milliseconds; a session-level ptime applies when the stream has none.</summary>
    public bool TryGetPtime(out int milliseconds) => TryGetMilliseconds("ptime"u8, out milliseconds);

    /// <summary>a=maxptime in milliseconds; a session-level maxptime applies when the stream has none.</summary>
    public bool TryGetMaxPtime(out int milliseconds) => TryGetMilliseconds("maxptime"u8, out milliseconds);

    /// <summary>a=rtcp (RFC 3605).</summary>
    public bool TryGetRtcp(out SdpRtcp rtcp)
    {
        if (SdpLineSearch.TryFindAttribute(_body, _lines, "rtcp"u8, out ReadOnlySpan<byte> value, out _))
        {
            return SdpRtcp.TryParse(value, out rtcp);
        }

        rtcp = default;
        return false;
    }

    /// <summary>The value of the first media-level attribute with this name (without ASCII case).</summary>
    public bool TryGetAttribute(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value) =>
        SdpLineSearch.TryFindAttribute(_body, _lines, name, out value, out _);

    /// <summary>True when a media-level attribute with this name exists, e.g. "rtcp-mux".</summary>
    public bool HasAttribute(ReadOnlySpan<byte> name) => SdpLineSearch.TryFindAttribute(_body, _lines, name, out _, out _);

    private bool TryGetMilliseconds(ReadOnlySpan<byte> name, out int milliseconds)
    {
        if (SdpLineSearch.TryFindAttribute(_body, _lines, name, out ReadOnlySpan<byte> value, out _)
            || SdpLineSearch.TryFindAttribute(_body, _sessionLines, name, out value, out _))
        {
            return SdpLineSearch.TryParseMilliseconds(value, out milliseconds);
        }

        milliseconds = 0;
        return false;
    }
}
