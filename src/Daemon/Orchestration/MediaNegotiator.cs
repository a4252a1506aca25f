using System.Buffers;
using System.Net;
using System.Text;
using CommunityToolkit.HighPerformance.Buffers;
using Dialtone.Engine.Rtp.Streams;
using Dialtone.Engine.Sip.Sdp;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// SDP for the daemon's calls (RFC 3264 with one audio stream): the offer we put in an INVITE, the
/// answer we read from the 2xx/183, and the answer we give to an offer (the demo carrier, re-INVITEs).
/// </summary>
public static class MediaNegotiator
{
    /// <summary>The telephone-event payload type we offer (the common choice; RFC 4733 leaves it dynamic).</summary>
    public const int OfferedTelephoneEvent = 101;

    private const int MaxSdpLines = 256;

    /// <summary>What we offer and accept, in order of preference: G.711 µ-law, A-law, RFC 4733 events.</summary>
    private static readonly SdpCodec[] Supported = [SdpCodec.Pcmu, SdpCodec.Pcma, SdpCodec.TelephoneEvent(OfferedTelephoneEvent)];

    /// <summary>The SDP offer for a stream reachable at <paramref name="address"/>:<paramref name="rtpPort"/>.</summary>
    public static byte[] WriteOffer(string address, int rtpPort, ulong sessionId)
    {
        using var buffer = new ArrayPoolBufferWriter<byte>(512);
        byte[] ascii = Encoding.ASCII.GetBytes(address);
        var local = new SdpLocalMedia(AddressTypeOf(address), ascii, rtpPort, sessionId, sessionVersion: 1)
        {
            Username = "dialtone"u8,
            SessionName = "dialtone"u8,
            Ptime = 20,
            Direction = SdpDirection.SendRecv,
        };
        SdpOfferAnswer.WriteOffer(local, Supported, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the answer to our offer (from a 2xx, or a 183 with early media).</summary>
    /// <param name="error">Why the answer is unusable (so the call can be ended with 488-like reasons in the log).</param>
    public static bool TryReadAnswer(ReadOnlySpan<byte> sdp, out NegotiatedMedia media, out string? error)
    {
        media = default;
        Span<SdpLine> lines = stackalloc SdpLine[MaxSdpLines];
        SdpReadResult read = SdpReader.Read(sdp, lines, out SdpSession session);
        if (!read.Success)
        {
            error = $"unreadable SDP answer: {read}";
            return false;
        }
        SdpNegotiation negotiation = SdpOfferAnswer.ReadAnswer(session, Supported);
        if (!negotiation.IsAccepted)
        {
            error = $"SDP answer not usable: {negotiation.Outcome}";
            return false;
        }
        return TryBuild(session, negotiation, out media, out error);
    }

    /// <summary>
    /// Answers <paramref name="offer"/> with our stream at <paramref name="address"/>:<paramref name="rtpPort"/>.
    /// False (nothing written) when no stream of the offer is acceptable: the caller answers 488.
    /// </summary>
    public static bool TryAnswer(ReadOnlySpan<byte> offer, string address, int rtpPort, ulong sessionId, IBufferWriter<byte> output, out NegotiatedMedia media, out string? error)
    {
        media = default;
        Span<SdpLine> lines = stackalloc SdpLine[MaxSdpLines];
        SdpReadResult read = SdpReader.Read(offer, lines, out SdpSession session);
        if (!read.Success)
        {
            error = $"unreadable SDP offer: {read}";
            return false;
        }
        byte[] ascii = Encoding.ASCII.GetBytes(address);
        var local = new SdpLocalMedia(AddressTypeOf(address), ascii, rtpPort, sessionId, sessionVersion: 1)
        {
            Username = "dialtone"u8,
            SessionName = "dialtone"u8,
            Ptime = 20,
            Direction = SdpDirection.SendRecv,
        };
        var scratch = new ArrayBufferWriter<byte>(512);
        SdpNegotiation negotiation = SdpOfferAnswer.Answer(session, Supported, local, scratch);
        if (!negotiation.IsAccepted)
        {
            error = $"no acceptable media in the offer: {negotiation.Outcome}";
            return false;
        }
        if (!TryBuild(session, negotiation, out media, out error))
            return false;
        output.Write(scratch.WrittenSpan);
        return true;
    }

    private static bool TryBuild(in SdpSession session, in SdpNegotiation negotiation, out NegotiatedMedia media, out string? error)
    {
        media = default;
        SdpMedia stream = session.GetMedia(negotiation.MediaIndex);
        if (!stream.TryGetEffectiveConnection(out SdpConnection connection) || !connection.TryParseAddress(out IPAddress? address) || address is null)
        {
            error = "the SDP has no usable c= address";
            return false;
        }
        AudioPayloadType payloadType = negotiation.Codec.PayloadType switch
        {
            0 => AudioPayloadType.Pcmu,
            8 => AudioPayloadType.Pcma,
            _ => System.Text.Ascii.EqualsIgnoreCase(negotiation.Codec.EncodingName.Span, "PCMA"u8) ? AudioPayloadType.Pcma : AudioPayloadType.Pcmu,
        };
        // We pace on a 20 ms grid: a far end asking for 30 ms gets 20 ms (RFC 4566 §6: ptime is a hint).
        int ptime = negotiation.RemotePtime is 20 or 40 or 60 ? negotiation.RemotePtime : 20;
        media = new NegotiatedMedia(new IPEndPoint(address, negotiation.RemotePort), payloadType, negotiation.TelephoneEventPayloadType, ptime, negotiation.Direction);
        error = null;
        return true;
    }

    private static SdpAddressType AddressTypeOf(string address) =>
        IPAddress.TryParse(address, out IPAddress? ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? SdpAddressType.IP6
            : SdpAddressType.IP4;
}
