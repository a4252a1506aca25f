using System.Buffers;
using System.Buffers.Text;

namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// Writes a session description (RFC 4566) straight into an <see cref="IBufferWriter{T}"/>: one
/// GetSpan/Advance per line, numbers formatted in place, CRLF line ends (RFC 4566 §5). Values are
/// checked for the bytes that would break the line structure; passing such a value is a programming
/// error and throws.
/// </summary>
public ref struct SdpWriter
{
    // A token (user name, address, media type, protocol) must not contain SP; free text may, but no
    // value may hold CR, LF or NUL (RFC 4566 §9 byte-string), or it would inject a line.
    private static readonly SearchValues<byte> NotInText = SearchValues.Create([0, (byte)'\r', (byte)'\n']);
    private static readonly SearchValues<byte> NotInToken = SearchValues.Create([0, (byte)'\r', (byte)'\n', (byte)' ', (byte)'\t']);

    private const int MaxNumberLength = 20;

    private readonly IBufferWriter<byte> _output;
    private int _bytesWritten;

    /// <summary>Writes into <paramref name="output"/>.</summary>
    public SdpWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _bytesWritten = 0;
    }

    /// <summary>How many bytes this writer has written.</summary>
    public readonly int BytesWritten => _bytesWritten;

    /// <summary>"v=0".</summary>
    public void WriteVersion() => WriteRaw("v=0\r\n"u8);

    /// <summary>o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; IN &lt;addrtype&gt; &lt;address&gt; (RFC 4566 §5.2).</summary>
    /// <param name="username">The user name; empty writes "-".</param>
    /// <param name="sessionId">The session id, fixed for the life of the session.</param>
    /// <param name="sessionVersion">The version, one more with every changed description (RFC 3264 §8).</param>
    /// <param name="addressType">IP4 or IP6.</param>
    /// <param name="address">The originating host's address.</param>
    public void WriteOrigin(scoped ReadOnlySpan<byte> username, ulong sessionId, ulong sessionVersion, SdpAddressType addressType, scoped ReadOnlySpan<byte> address)
    {
        CheckToken(username, nameof(username));
        CheckToken(address, nameof(address), required: true);
        ReadOnlySpan<byte> user = username.IsEmpty ? "-"u8 : username;
        Span<byte> line = Begin(2 + user.Length + 1 + MaxNumberLength + 1 + MaxNumberLength + 8 + address.Length + 2);
        int n = Put(line, 0, "o="u8);
        n = Put(line, n, user);
        line[n++] = (byte)' ';
        n = PutNumber(line, n, sessionId);
        line[n++] = (byte)' ';
        n = PutNumber(line, n, sessionVersion);
        n = Put(line, n, " IN "u8);
        n = Put(line, n, AddressTypeToken(addressType));
        line[n++] = (byte)' ';
        n = Put(line, n, address);
        End(line, n);
    }

    /// <summary>s=&lt;name&gt;; empty writes "-", as RFC 4566 §5.3 asks when there is no name.</summary>
    public void WriteSessionName(scoped ReadOnlySpan<byte> name)
    {
        CheckText(name, nameof(name));
        WriteLine((byte)'s', name.IsEmpty ? "-"u8 : name);
    }

    /// <summary>c=IN &lt;addrtype&gt; &lt;address&gt; (RFC 4566 §5.7).</summary>
    public void WriteConnection(SdpAddressType addressType, scoped ReadOnlySpan<byte> address)
    {
        CheckToken(address, nameof(address), required: true);
        Span<byte> line = Begin(8 + 3 + address.Length + 2);
        int n = Put(line, 0, "c=IN "u8);
        n = Put(line, n, AddressTypeToken(addressType));
        line[n++] = (byte)' ';
        n = Put(line, n, address);
        End(line, n);
    }

    /// <summary>t=&lt;start&gt; &lt;stop&gt;; "t=0 0" is an unbounded session, what SIP calls use (RFC 3264 §5).</summary>
    public void WriteTiming(ulong start = 0, ulong stop = 0)
    {
        if (start == 0 && stop == 0)
        {
            WriteRaw("t=0 0\r\n"u8);
            return;
        }

        Span<byte> line = Begin(2 + MaxNumberLength + 1 + MaxNumberLength + 2);
        int n = Put(line, 0, "t="u8);
        n = PutNumber(line, n, start);
        line[n++] = (byte)' ';
        n = PutNumber(line, n, stop);
        End(line, n);
    }

    /// <summary>The session part of a description for a call: v=, o=, s=, c= and t=0 0.</summary>
    public void WriteSessionHeader(
        scoped ReadOnlySpan<byte> username,
        ulong sessionId,
        ulong sessionVersion,
        SdpAddressType addressType,
        scoped ReadOnlySpan<byte> address,
        scoped ReadOnlySpan<byte> sessionName = default)
    {
        WriteVersion();
        WriteOrigin(username, sessionId, sessionVersion, addressType, address);
        WriteSessionName(sessionName);
        WriteConnection(addressType, address);
        WriteTiming();
    }

    /// <summary>
    /// m=&lt;media&gt; &lt;port&gt; &lt;proto&gt; &lt;fmt list&gt; with the format list as text, e.g. to decline a stream
    /// with port 0 (RFC 3264 §6). An empty list is written as "0": RFC 4566 §5.14 requires one format.
    /// </summary>
    public void WriteMediaLine(scoped ReadOnlySpan<byte> mediaType, int port, scoped ReadOnlySpan<byte> protocol, scoped ReadOnlySpan<byte> formatList)
    {
        CheckToken(mediaType, nameof(mediaType), required: true);
        CheckToken(protocol, nameof(protocol), required: true);
        CheckText(formatList, nameof(formatList));
        CheckPort(port);
        ReadOnlySpan<byte> formats = formatList.IsEmpty ? "0"u8 : formatList;
        Span<byte> line = Begin(2 + mediaType.Length + 1 + 5 + 1 + protocol.Length + 1 + formats.Length + 2);
        int n = PutMediaPrefix(line, mediaType, port, protocol);
        line[n++] = (byte)' ';
        n = Put(line, n, formats);
        End(line, n);
    }

    /// <summary>m=&lt;media&gt; &lt;port&gt; &lt;proto&gt; followed by the payload types of <paramref name="codecs"/> in order.</summary>
    public void WriteMediaLine(scoped ReadOnlySpan<byte> mediaType, int port, scoped ReadOnlySpan<byte> protocol, scoped ReadOnlySpan<SdpCodec> codecs)
    {
        CheckToken(mediaType, nameof(mediaType), required: true);
        CheckToken(protocol, nameof(protocol), required: true);
        CheckPort(port);
        if (codecs.IsEmpty)
        {
            throw new ArgumentException("An m= line needs at least one format (RFC 4566 §5.14).", nameof(codecs));
        }

        Span<byte> line = Begin(2 + mediaType.Length + 1 + 5 + 1 + protocol.Length + (codecs.Length * 4) + 2);
        int n = PutMediaPrefix(line, mediaType, port, protocol);
        foreach (SdpCodec codec in codecs)
        {
            line[n++] = (byte)' ';
            n = PutNumber(line, n, (ulong)codec.PayloadType);
        }

        End(line, n);
    }

    /// <summary>a=rtpmap for <paramref name="codec"/>; the channel count is written only when above 1 (RFC 4566 §6).</summary>
    public void WriteRtpMap(in SdpCodec codec) =>
        WriteRtpMap(codec.PayloadType, codec.EncodingName.Span, codec.ClockRate, codec.Channels);

    /// <summary>a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;].</summary>
    public void WriteRtpMap(int payloadType, scoped ReadOnlySpan<byte> encodingName, int clockRate, int channels = 1)
    {
        CheckPayloadType(payloadType);
        CheckToken(encodingName, nameof(encodingName), required: true);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        Span<byte> line = Begin(9 + 3 + 1 + encodingName.Length + 1 + MaxNumberLength + 1 + MaxNumberLength + 2);
        int n = Put(line, 0, "a=rtpmap:"u8);
        n = PutNumber(line, n, (ulong)payloadType);
        line[n++] = (byte)' ';
        n = Put(line, n, encodingName);
        line[n++] = (byte)'/';
        n = PutNumber(line, n, (ulong)clockRate);
        if (channels > 1)
        {
            line[n++] = (byte)'/';
            n = PutNumber(line, n, (ulong)channels);
        }

        End(line, n);
    }

    /// <summary>a=fmtp:&lt;payload type&gt; &lt;parameters&gt; (RFC 4566 §6).</summary>
    public void WriteFmtp(int payloadType, scoped ReadOnlySpan<byte> parameters)
    {
        CheckPayloadType(payloadType);
        CheckText(parameters, nameof(parameters));
        Span<byte> line = Begin(7 + 3 + 1 + parameters.Length + 2);
        int n = Put(line, 0, "a=fmtp:"u8);
        n = PutNumber(line, n, (ulong)payloadType);
        line[n++] = (byte)' ';
        n = Put(line, n, parameters);
        End(line, n);
    }

    /// <summary>a=ptime:&lt;milliseconds&gt; (RFC 4566 §6).</summary>
    public void WritePtime(int milliseconds) => WriteNumberAttribute("a=ptime:"u8, milliseconds);

    /// <summary>a=maxptime:&lt;milliseconds&gt; (RFC 4566 §6).</summary>
    public void WriteMaxPtime(int milliseconds) => WriteNumberAttribute("a=maxptime:"u8, milliseconds);

    /// <summary>a=rtcp:&lt;port&gt; (RFC 3605).</summary>
    public void WriteRtcp(int port)
    {
        CheckPort(port);
        WriteNumberAttribute("a=rtcp:"u8, port);
    }

    /// <summary>a=sendrecv, a=sendonly, a=recvonly or a=inactive.</summary>
    public void WriteDirection(SdpDirection direction) => WriteAttribute(direction.ToAttributeName());

    /// <summary>A property attribute, a=&lt;name&gt;.</summary>
    public void WriteAttribute(scoped ReadOnlySpan<byte> name)
    {
        CheckToken(name, nameof(name), required: true);
        WriteLine((byte)'a', name);
    }

    /// <summary>A value attribute, a=&lt;name&gt;:&lt;value&gt;.</summary>
    public void WriteAttribute(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        CheckToken(name, nameof(name), required: true);
        CheckText(value, nameof(value));
        Span<byte> line = Begin(2 + name.Length + 1 + value.Length + 2);
        int n = Put(line, 0, "a="u8);
        n = Put(line, n, name);
        line[n++] = (byte)':';
        n = Put(line, n, value);
        End(line, n);
    }

    /// <summary>Any line, &lt;type&gt;=&lt;value&gt;.</summary>
    public void WriteLine(byte type, scoped ReadOnlySpan<byte> value)
    {
        if (!char.IsAsciiLetter((char)type))
        {
            throw new ArgumentException("An SDP line type is one letter (RFC 4566 §5).", nameof(type));
        }

        CheckText(value, nameof(value));
        Span<byte> line = Begin(2 + value.Length + 2);
        line[0] = type;
        line[1] = (byte)'=';
        int n = Put(line, 2, value);
        End(line, n);
    }

    /// <summary>Copies a line read from another description verbatim, e.g. one this side does not interpret.</summary>
    public void CopyLine(scoped SdpLineView line) => WriteLine(line.Type, line.Value);

    /// <summary>
    /// An audio stream: m=audio with the payload types of <paramref name="codecs"/> in order, an rtpmap
    /// for each (also for static types, which costs a few bytes and spares peers that need it), the
    /// fmtp of each codec that has parameters, a=ptime when <paramref name="ptime"/> is above 0, and the
    /// direction.
    /// </summary>
    public void WriteAudioMedia(int port, scoped ReadOnlySpan<SdpCodec> codecs, int ptime, SdpDirection direction, scoped ReadOnlySpan<byte> protocol = default)
    {
        WriteMediaLine("audio"u8, port, protocol.IsEmpty ? "RTP/AVP"u8 : protocol, codecs);
        foreach (SdpCodec codec in codecs)
        {
            WriteRtpMap(codec);
        }

        foreach (SdpCodec codec in codecs)
        {
            if (!codec.FormatParameters.IsEmpty)
            {
                WriteFmtp(codec.PayloadType, codec.FormatParameters.Span);
            }
        }

        if (ptime > 0)
        {
            WritePtime(ptime);
        }

        WriteDirection(direction);
    }

    private static ReadOnlySpan<byte> AddressTypeToken(SdpAddressType addressType) => addressType switch
    {
        SdpAddressType.IP4 => "IP4"u8,
        SdpAddressType.IP6 => "IP6"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(addressType), "Only IP4 and IP6 can be written."),
    };

    private static int Put(Span<byte> line, int offset, ReadOnlySpan<byte> value)
    {
        value.CopyTo(line[offset..]);
        return offset + value.Length;
    }

    private static int PutNumber(Span<byte> line, int offset, ulong value)
    {
        Utf8Formatter.TryFormat(value, line[offset..], out int written);
        return offset + written;
    }

    private static int PutMediaPrefix(Span<byte> line, ReadOnlySpan<byte> mediaType, int port, ReadOnlySpan<byte> protocol)
    {
        int n = Put(line, 0, "m="u8);
        n = Put(line, n, mediaType);
        line[n++] = (byte)' ';
        n = PutNumber(line, n, (ulong)port);
        line[n++] = (byte)' ';
        return Put(line, n, protocol);
    }

    private static void CheckText(ReadOnlySpan<byte> value, string name)
    {
        if (value.IndexOfAny(NotInText) >= 0)
        {
            throw new ArgumentException("SDP values cannot hold CR, LF or NUL (RFC 4566 §9).", name);
        }
    }

    private static void CheckToken(ReadOnlySpan<byte> value, string name, bool required = false)
    {
        if (value.IndexOfAny(NotInToken) >= 0 || (required && value.IsEmpty))
        {
            throw new ArgumentException("This SDP field must be a non-empty token without spaces (RFC 4566 §9).", name);
        }
    }

    private static void CheckPort(int port)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, ushort.MaxValue);
    }

    private static void CheckPayloadType(int payloadType)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, 127);
    }

    private void WriteNumberAttribute(ReadOnlySpan<byte> prefix, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Span<byte> line = Begin(prefix.Length + MaxNumberLength + 2);
        int n = Put(line, 0, prefix);
        n = PutNumber(line, n, (ulong)value);
        End(line, n);
    }

    private void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_output.GetSpan(bytes.Length));
        _output.Advance(bytes.Length);
        _bytesWritten += bytes.Length;
    }

    private readonly Span<byte> Begin(int maxLength) => _output.GetSpan(maxLength);

    private void End(Span<byte> line, int length)
    {
        line[length] = (byte)'\r';
        line[length + 1] = (byte)'\n';
        _output.Advance(length + 2);
        _bytesWritten += length + 2;
    }
}
