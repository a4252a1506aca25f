namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// What a payload type number stands for: a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;channels&gt;]
/// (RFC 4566 §6), or the static assignment of RFC 3551 §6 when the description has no rtpmap for it.
/// </summary>
public readonly ref struct SdpRtpMap
{
    internal SdpRtpMap(int payloadType, ReadOnlySpan<byte> encodingName, int clockRate, int channels, bool isStatic)
    {
        PayloadType = payloadType;
        EncodingName = encodingName;
        ClockRate = clockRate;
        Channels = channels;
        IsStatic = isStatic;
    }

    /// <summary>The RTP payload type number, 0 to 127.</summary>
    public int PayloadType { get; }

    /// <summary>The encoding name as written, e.g. "PCMU" or "telephone-event"; compare it without case.</summary>
    public ReadOnlySpan<byte> EncodingName { get; }

    /// <summary>The RTP clock rate in Hz.</summary>
    public int ClockRate { get; }

    /// <summary>The number of audio channels; 1 when the line omits it (RFC 4566 §6).</summary>
    public int Channels { get; }

    /// <summary>True when this comes from the RFC 3551 static table rather than an a=rtpmap line.</summary>
    public bool IsStatic { get; }

    /// <summary>True for the same encoding (name without case), clock rate and channel count.</summary>
    public bool Matches(ReadOnlySpan<byte> encodingName, int clockRate, int channels = 1) =>
        ClockRate == clockRate
        && Channels == Math.Max(1, channels)
        && SdpSyntax.NameEquals(EncodingName, encodingName);

    /// <summary>Parses the value of an rtpmap attribute (the part after "rtpmap:").</summary>
    internal static bool TryParse(ReadOnlySpan<byte> value, out SdpRtpMap map)
    {
        map = default;
        if (!SdpSyntax.TryParsePayloadTypePrefix(value, out int payloadType, out ReadOnlySpan<byte> encoding))
        {
            return false;
        }

        int slash = encoding.IndexOf((byte)'/');
        if (slash <= 0)
        {
            return false;
        }

        ReadOnlySpan<byte> name = encoding[..slash];
        ReadOnlySpan<byte> rest = encoding[(slash + 1)..];
        int second = rest.IndexOf((byte)'/');
        ReadOnlySpan<byte> clock = second < 0 ? rest : rest[..second];
        if (!SdpSyntax.TryParseInt32(clock, int.MaxValue, out int clockRate) || clockRate == 0)
        {
            return false;
        }

        int channels = 1;
        if (second >= 0 && (!SdpSyntax.TryParseInt32(rest[(second + 1)..], 255, out channels) || channels == 0))
        {
            return false;
        }

        map = new SdpRtpMap(payloadType, name, clockRate, channels, isStatic: false);
        return true;
    }
}
