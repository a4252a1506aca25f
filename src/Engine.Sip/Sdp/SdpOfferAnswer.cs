using System.Buffers;

namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// The offer/answer model (RFC 3264) for a call with one audio stream: write an offer, answer an
/// offer, and read the answer to our offer. Other streams (video, a second audio stream) are declined
/// with port 0, as RFC 3264 §6 asks, never dropped, so the peer's m= lines stay matched one to one.
/// </summary>
public static class SdpOfferAnswer
{
    /// <summary>Writes an offer with one audio stream carrying <paramref name="codecs"/> in order of preference.</summary>
    public static void WriteOffer(in SdpLocalMedia local, ReadOnlySpan<SdpCodec> codecs, IBufferWriter<byte> output)
    {
        var writer = new SdpWriter(output);
        WriteSession(ref writer, local, 0, 0);
        writer.WriteAudioMedia(local.RtpPort, codecs, local.Ptime, local.Direction);
    }

    /// <summary>
    /// Answers <paramref name="offer"/> (RFC 3264 §6). The first RTP/AVP audio stream that names a codec
    /// of <paramref name="supported"/> is accepted, with the offer's payload type numbers, the offerer's
    /// preferred common codec, and the offer's telephone-event type when <paramref name="supported"/>
    /// includes telephone-event; every other stream is declined with port 0. The direction mirrors the
    /// offer (sendonly is answered recvonly, inactive inactive) narrowed by <see cref="SdpLocalMedia.Direction"/>.
    /// When nothing is acceptable, nothing is written and the outcome is
    /// <see cref="SdpNegotiationOutcome.NoAcceptableMedia"/>.
    /// </summary>
    public static SdpNegotiation Answer(in SdpSession offer, ReadOnlySpan<SdpCodec> supported, in SdpLocalMedia local, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        int chosen = -1;
        SdpCodec codec = default;
        int telephoneEvent = -1;
        foreach (SdpMedia media in offer.Media)
        {
            if (media.IsRejected || !media.IsAudio || !media.IsRtpAvp || !media.TryGetEffectiveConnection(out _))
            {
                continue;
            }

            if (TryChooseCodec(media, supported, out codec))
            {
                chosen = media.Index;
                telephoneEvent = FindTelephoneEvent(media, supported, codec.ClockRate);
                break;
            }
        }

        if (chosen < 0)
        {
            return new SdpNegotiation(SdpNegotiationOutcome.NoAcceptableMedia);
        }

        SdpMedia accepted = offer.GetMedia(chosen);
        accepted.TryGetEffectiveConnection(out SdpConnection remote);
        bool unspecified = remote.IsUnspecified;

        // RFC 3264 §6.1: the answer's direction is the offer's seen from our side; RFC 3264 §8.4: an
        // offerer that gives 0.0.0.0 cannot receive, whatever its attributes say.
        SdpDirection direction = accepted.Direction.Mirror().Intersect(local.Direction);
        if (unspecified)
        {
            direction = direction.WithoutSend();
        }

        // RFC 3264 §6: the t= line of the answer must equal the offer's.
        offer.TryGetTiming(out ulong start, out ulong stop);
        var writer = new SdpWriter(output);
        WriteSession(ref writer, local, start, stop);
        foreach (SdpMedia media in offer.Media)
        {
            if (media.Index != chosen)
            {
                writer.WriteMediaLine(media.MediaType, 0, media.Protocol, media.FormatList);
                continue;
            }

            WriteAcceptedAudio(ref writer, media.Protocol, codec, telephoneEvent, supported, local, direction);
        }

        accepted.TryGetPtime(out int remotePtime);
        return new SdpNegotiation(
            SdpNegotiationOutcome.Accepted,
            chosen,
            codec,
            telephoneEvent,
            direction,
            accepted.Port,
            remotePtime,
            unspecified);
    }

    /// <summary>
    /// Reads the answer to an offer we made (RFC 3264 §7): the answer must have one m= line per offered
    /// stream; our audio stream must not be declined; the codec is the first format of the answer that
    /// we offered (the answerer's preference), under the payload type the answer uses.
    /// </summary>
    /// <param name="answer">The answer.</param>
    /// <param name="offered">The codecs we offered, telephone-event included if offered.</param>
    /// <param name="offeredMediaCount">How many m= lines our offer had.</param>
    /// <param name="audioMediaIndex">Which of them was our audio stream.</param>
    /// <param name="offeredDirection">The direction we offered.</param>
    public static SdpNegotiation ReadAnswer(
        in SdpSession answer,
        ReadOnlySpan<SdpCodec> offered,
        int offeredMediaCount = 1,
        int audioMediaIndex = 0,
        SdpDirection offeredDirection = SdpDirection.SendRecv)
    {
        if (answer.MediaCount != offeredMediaCount || audioMediaIndex < 0 || audioMediaIndex >= answer.MediaCount)
        {
            return new SdpNegotiation(SdpNegotiationOutcome.MediaCountMismatch);
        }

        SdpMedia media = answer.GetMedia(audioMediaIndex);
        if (media.IsRejected)
        {
            return new SdpNegotiation(SdpNegotiationOutcome.MediaRejected, audioMediaIndex);
        }

        if (!TryChooseCodec(media, offered, out SdpCodec codec))
        {
            return new SdpNegotiation(SdpNegotiationOutcome.NoCommonCodec, audioMediaIndex);
        }

        bool unspecified = media.TryGetEffectiveConnection(out SdpConnection remote) && remote.IsUnspecified;
        SdpDirection direction = media.Direction.Mirror().Intersect(offeredDirection);
        if (unspecified)
        {
            direction = direction.WithoutSend();
        }

        media.TryGetPtime(out int remotePtime);
        return new SdpNegotiation(
            SdpNegotiationOutcome.Accepted,
            audioMediaIndex,
            codec,
            FindTelephoneEvent(media, offered, codec.ClockRate),
            direction,
            media.Port,
            remotePtime,
            unspecified);
    }

    /// <summary>
    /// The first payload type of the stream, in the order its author prefers, that is one of
    /// <paramref name="candidates"/> (telephone-event aside), with the stream's own number for it.
    /// </summary>
    private static bool TryChooseCodec(in SdpMedia media, ReadOnlySpan<SdpCodec> candidates, out SdpCodec codec)
    {
        foreach (int payloadType in media.PayloadTypes)
        {
            if (!media.TryGetRtpMap(payloadType, out SdpRtpMap map))
            {
                continue;
            }

            foreach (SdpCodec candidate in candidates)
            {
                if (!candidate.IsTelephoneEvent && candidate.Matches(map))
                {
                    codec = candidate.WithPayloadType(payloadType);
                    return true;
                }
            }
        }

        codec = default;
        return false;
    }

    /// <summary>
    /// The stream's telephone-event type at the voice codec's clock rate (RFC 4733 §2.1 ties the event
    /// clock to the audio clock), or -1 when we do not do events or the stream has none.
    /// </summary>
    private static int FindTelephoneEvent(in SdpMedia media, ReadOnlySpan<SdpCodec> candidates, int clockRate)
    {
        foreach (SdpCodec candidate in candidates)
        {
            if (candidate.IsTelephoneEvent
                && candidate.ClockRate == clockRate
                && media.TryFindPayloadType(candidate.EncodingName.Span, clockRate, out int payloadType))
            {
                return payloadType;
            }
        }

        return -1;
    }

    private static void WriteSession(ref SdpWriter writer, in SdpLocalMedia local, ulong start, ulong stop)
    {
        writer.WriteVersion();
        writer.WriteOrigin(local.Username, local.SessionId, local.SessionVersion, local.AddressType, local.Address);
        writer.WriteSessionName(local.SessionName);
        writer.WriteConnection(local.AddressType, local.Address);
        writer.WriteTiming(start, stop);
    }

    private static void WriteAcceptedAudio(
        ref SdpWriter writer,
        ReadOnlySpan<byte> protocol,
        in SdpCodec codec,
        int telephoneEvent,
        ReadOnlySpan<SdpCodec> supported,
        in SdpLocalMedia local,
        SdpDirection direction)
    {
        SdpCodec events = default;
        bool hasEvents = false;
        if (telephoneEvent >= 0)
        {
            foreach (SdpCodec candidate in supported)
            {
                if (candidate.IsTelephoneEvent && candidate.ClockRate == codec.ClockRate)
                {
                    events = candidate.WithPayloadType(telephoneEvent);
                    hasEvents = true;
                    break;
                }
            }
        }

        ReadOnlySpan<SdpCodec> formats = hasEvents ? [codec, events] : [codec];
        writer.WriteMediaLine("audio"u8, local.RtpPort, protocol, formats);
        foreach (SdpCodec format in formats)
        {
            writer.WriteRtpMap(format);
        }

        foreach (SdpCodec format in formats)
        {
            if (!format.FormatParameters.IsEmpty)
            {
                writer.WriteFmtp(format.PayloadType, format.FormatParameters.Span);
            }
        }

        if (local.Ptime > 0)
        {
            writer.WritePtime(local.Ptime);
        }

        writer.WriteDirection(direction);
    }
}
