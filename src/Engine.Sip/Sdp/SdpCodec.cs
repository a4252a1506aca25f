namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// A payload format we can send or receive: payload type, encoding name, clock rate, channels and
/// the fmtp parameters to announce. The well-known ones are built once and shared, so offering and
/// answering with them allocates nothing.
/// </summary>
public readonly struct SdpCodec
{
    private static readonly byte[] PcmuName = "PCMU"u8.ToArray();
    private static readonly byte[] PcmaName = "PCMA"u8.ToArray();
    private static readonly byte[] TelephoneEventName = "telephone-event"u8.ToArray();

    // RFC 4733 §3.2: events 0-15 are the DTMF digits 0-9, *, #, A-D; 16 is flash.
    private static readonly byte[] DtmfEvents = "0-16"u8.ToArray();

    /// <summary>Describes a payload format.</summary>
    /// <param name="payloadType">The RTP payload type, 0 to 127.</param>
    /// <param name="encodingName">The encoding name as written in a=rtpmap, e.g. "PCMU".</param>
    /// <param name="clockRate">The RTP clock rate in Hz.</param>
    /// <param name="channels">The number of audio channels.</param>
    /// <param name="formatParameters">The a=fmtp parameters to announce, empty for none.</param>
    public SdpCodec(int payloadType, ReadOnlyMemory<byte> encodingName, int clockRate, int channels = 1, ReadOnlyMemory<byte> formatParameters = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadType);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, 127);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (encodingName.IsEmpty)
        {
            throw new ArgumentException("An encoding name is required.", nameof(encodingName));
        }

        PayloadType = payloadType;
        EncodingName = encodingName;
        ClockRate = clockRate;
        Channels = channels;
        FormatParameters = formatParameters;
    }

    /// <summary>G.711 µ-law, static payload type 0 (RFC 3551 §4.5.14).</summary>
    public static SdpCodec Pcmu => new(0, PcmuName, 8000);

    /// <summary>G.711 A-law, static payload type 8 (RFC 3551 §4.5.14).</summary>
    public static SdpCodec Pcma => new(8, PcmaName, 8000);

    /// <summary>The RTP payload type number.</summary>
    public int PayloadType { get; }

    /// <summary>The encoding name.</summary>
    public ReadOnlyMemory<byte> EncodingName { get; }

    /// <summary>The RTP clock rate in Hz.</summary>
    public int ClockRate { get; }

    /// <summary>The number of audio channels.</summary>
    public int Channels { get; }

    /// <summary>The fmtp parameters to announce; empty for none.</summary>
    public ReadOnlyMemory<byte> FormatParameters { get; }

    /// <summary>True for RFC 4733 telephone-event, which travels beside a voice codec rather than instead of it.</summary>
    public bool IsTelephoneEvent => SdpSyntax.NameEquals(EncodingName.Span, TelephoneEventName);

    /// <summary>
    /// RFC 4733 telephone-event at 8 kHz announcing DTMF and flash (events 0-16). The payload type is
    /// dynamic: 101 is customary, but an answer must use the number the offer chose.
    /// </summary>
    public static SdpCodec TelephoneEvent(int payloadType = 101) => new(payloadType, TelephoneEventName, 8000, 1, DtmfEvents);

    /// <summary>The same format under another payload type number.</summary>
    public SdpCodec WithPayloadType(int payloadType) =>
        new(payloadType, EncodingName, ClockRate, Channels, FormatParameters);

    /// <summary>True when an rtpmap (or static assignment) describes this format, whatever its number.</summary>
    public bool Matches(in SdpRtpMap map) => map.Matches(EncodingName.Span, ClockRate, Channels);
}
