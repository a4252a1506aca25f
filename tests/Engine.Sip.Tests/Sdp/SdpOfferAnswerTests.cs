using System.Buffers;
using Dialtone.Engine.Sip.Sdp;
using static Dialtone.Engine.Sip.Tests.Sdp.SdpTestData;

namespace Dialtone.Engine.Sip.Tests.Sdp;

public class SdpOfferAnswerTests
{
    private static readonly SdpCodec[] Supported = [SdpCodec.Pcmu, SdpCodec.Pcma, SdpCodec.TelephoneEvent()];

    [Fact]
    public void Answers_the_RFC_3264_basic_offer_with_one_m_line_per_offered_stream()
    {
        // RFC 3264 §10.1: Alice offers PCMU audio and two video streams. We take the audio and, having no
        // video, decline both video streams with port 0 (Bob in the RFC keeps the second one).
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = AnswerVector("rfc3264-10.1-offer.sdp", Local(), output);

        Assert.True(negotiation.IsAccepted);
        Assert.Equal(0, negotiation.MediaIndex);
        Assert.Equal(0, negotiation.Codec.PayloadType);
        Assert.Equal(-1, negotiation.TelephoneEventPayloadType);
        Assert.Equal(SdpDirection.SendRecv, negotiation.Direction);
        Assert.Equal(49170, negotiation.RemotePort);
        Assert.Equal(
            "v=0\r\n"
            + "o=- 7001 1 IN IP4 192.0.2.10\r\n"
            + "s=-\r\n"
            + "c=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n"
            + "m=video 0 RTP/AVP 31\r\n"
            + "m=video 0 RTP/AVP 32\r\n",
            Text(output.WrittenSpan));

        // The RFC's own answer has the same shape: three m= lines in the offer's order.
        Span<SdpLine> theirs = stackalloc SdpLine[32];
        Span<SdpLine> ours = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(SdpFile("rfc3264-10.1-answer.sdp"), theirs, out SdpSession rfcAnswer).Success);
        Assert.True(SdpReader.Read(output.WrittenSpan, ours, out SdpSession ourAnswer).Success);
        Assert.Equal(rfcAnswer.MediaCount, ourAnswer.MediaCount);
        for (int i = 0; i < rfcAnswer.MediaCount; i++)
        {
            Assert.Equal(Text(rfcAnswer.GetMedia(i).MediaType), Text(ourAnswer.GetMedia(i).MediaType));
        }

        Assert.Equal(Text(rfcAnswer.GetMedia(0).FormatList), Text(ourAnswer.GetMedia(0).FormatList));
        Assert.True(rfcAnswer.GetMedia(1).IsRejected && ourAnswer.GetMedia(1).IsRejected);
    }

    [Fact]
    public void Declines_a_second_audio_stream_and_keeps_the_first()
    {
        // RFC 3264 §10.1, Bob's later offer: the first audio stream moves to port 65422 and a fourth,
        // receive-only stream carries only events. One call has one voice stream: the fourth is declined.
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = AnswerVector("rfc3264-10.1-second-offer.sdp", Local(), output);

        Assert.True(negotiation.IsAccepted);
        Assert.Equal(0, negotiation.MediaIndex);
        Assert.Equal(65422, negotiation.RemotePort);
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(output.WrittenSpan, index, out SdpSession answer).Success);
        Assert.Equal(4, answer.MediaCount);
        Assert.Equal(40000, answer.GetMedia(0).Port);
        Assert.True(answer.GetMedia(1).IsRejected);
        Assert.True(answer.GetMedia(2).IsRejected);
        Assert.True(answer.GetMedia(3).IsRejected);
        Assert.Equal("110", Text(answer.GetMedia(3).FormatList));
    }

    [Fact]
    public void Answers_an_inactive_one_of_N_offer_inactive_with_the_offerers_first_common_codec()
    {
        // RFC 3264 §10.2: PCMU, G.723 and G.729 offered inactive. We support PCMU only of these.
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = AnswerVector("rfc3264-10.2-offer.sdp", Local(), output);

        Assert.True(negotiation.IsAccepted);
        Assert.Equal(0, negotiation.Codec.PayloadType);
        Assert.Equal(SdpDirection.Inactive, negotiation.Direction);
        Assert.Contains("m=audio 40000 RTP/AVP 0\r\n", Text(output.WrittenSpan));
        Assert.EndsWith("a=inactive\r\n", Text(output.WrittenSpan));
    }

    [Theory]
    [InlineData("hold-sendonly.sdp", SdpDirection.RecvOnly, false)]
    [InlineData("hold-inactive.sdp", SdpDirection.Inactive, false)]
    [InlineData("hold-null-address.sdp", SdpDirection.RecvOnly, true)]
    [InlineData("carrier-offer.sdp", SdpDirection.SendRecv, false)]
    public void Mirrors_the_offered_direction_and_honours_the_old_hold_address(string offer, SdpDirection expected, bool nullAddress)
    {
        // RFC 3264 §6.1: sendonly is answered recvonly, inactive inactive. RFC 3264 §8.4: an offer with
        // c=0.0.0.0 cannot receive, so we do not send to it.
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = AnswerVector(offer, Local(), output);

        Assert.True(negotiation.IsAccepted);
        Assert.Equal(expected, negotiation.Direction);
        Assert.Equal(nullAddress, negotiation.RemoteAddressIsUnspecified);
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(output.WrittenSpan, index, out SdpSession answer).Success);
        Assert.Equal(expected, answer.GetMedia(0).Direction);
        Assert.True(answer.TryGetConnection(out SdpConnection ours));
        Assert.Equal("192.0.2.10", Text(ours.Address));
    }

    [Fact]
    public void Answers_a_receive_only_offer_send_only()
    {
        byte[] offer = Crlf("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\nm=audio 7000 RTP/AVP 0\na=recvonly\n");
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = Answer(offer, Local(), output);

        Assert.Equal(SdpDirection.SendOnly, negotiation.Direction);
        Assert.EndsWith("a=sendonly\r\n", Text(output.WrittenSpan));
    }

    [Fact]
    public void Our_own_hold_narrows_an_offered_sendrecv()
    {
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = AnswerVector("carrier-offer.sdp", Local(SdpDirection.SendOnly), output);

        Assert.Equal(SdpDirection.SendOnly, negotiation.Direction);
        Assert.EndsWith("a=sendonly\r\n", Text(output.WrittenSpan));
    }

    [Fact]
    public void Prefers_the_offerers_codec_order_and_keeps_its_telephone_event_type()
    {
        // The carrier lists PCMA before PCMU and G.729, with events on 101 announcing 0-15.
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = AnswerVector("carrier-offer.sdp", Local(), output);

        Assert.Equal(8, negotiation.Codec.PayloadType);
        Assert.Equal("PCMA", Text(negotiation.Codec.EncodingName.Span));
        Assert.Equal(101, negotiation.TelephoneEventPayloadType);
        Assert.Equal(20, negotiation.RemotePtime);
        Assert.Equal(
            "m=audio 40000 RTP/AVP 8 101\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n",
            Text(output.WrittenSpan[output.WrittenSpan.IndexOf("m="u8)..]));
    }

    [Fact]
    public void Uses_the_offers_numbers_for_dynamic_types()
    {
        // RFC 3264 §6.1: the answer uses the payload type numbers of the offer for the same format.
        byte[] offer = Crlf(
            "v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=3034423619 3042462419\n"
            + "m=audio 7000 RTP/AVP 97 110 96\na=rtpmap:97 pcmu/8000\na=rtpmap:110 telephone-event/8000\na=rtpmap:96 telephone-event/48000\n");
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = Answer(offer, Local(), output);

        Assert.Equal(97, negotiation.Codec.PayloadType);
        Assert.Equal(110, negotiation.TelephoneEventPayloadType);
        string answer = Text(output.WrittenSpan);
        Assert.Contains("t=3034423619 3042462419\r\n", answer);
        Assert.Contains("m=audio 40000 RTP/AVP 97 110\r\n", answer);
        Assert.Contains("a=rtpmap:97 PCMU/8000\r\n", answer);
        Assert.Contains("a=fmtp:110 0-16\r\n", answer);
    }

    [Fact]
    public void Leaves_out_telephone_events_when_we_do_not_offer_them()
    {
        var output = new ArrayBufferWriter<byte>();
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(SdpFile("carrier-offer.sdp"), index, out SdpSession offer).Success);

        SdpNegotiation negotiation = SdpOfferAnswer.Answer(offer, [SdpCodec.Pcmu], Local(), output);

        Assert.Equal(0, negotiation.Codec.PayloadType);
        Assert.Equal(-1, negotiation.TelephoneEventPayloadType);
        Assert.Contains("m=audio 40000 RTP/AVP 0\r\n", Text(output.WrittenSpan));
        Assert.DoesNotContain("telephone-event", Text(output.WrittenSpan));
    }

    [Theory]
    [InlineData("m=audio 7000 RTP/AVP 18\na=rtpmap:18 G729/8000\n")]
    [InlineData("m=audio 7000 RTP/SAVP 0\n")]
    [InlineData("m=audio 0 RTP/AVP 0\n")]
    [InlineData("m=video 7000 RTP/AVP 0\n")]
    [InlineData("m=audio 7000 RTP/AVP 101\na=rtpmap:101 telephone-event/8000\n")]
    [InlineData("")]
    public void Writes_nothing_when_no_offered_stream_is_acceptable(string media)
    {
        byte[] offer = Crlf("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nc=IN IP4 198.51.100.7\nt=0 0\n" + media);
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = Answer(offer, Local(), output);

        Assert.Equal(SdpNegotiationOutcome.NoAcceptableMedia, negotiation.Outcome);
        Assert.False(negotiation.IsAccepted);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Skips_a_stream_that_has_no_connection_address()
    {
        byte[] offer = Crlf("v=0\no=- 1 1 IN IP4 198.51.100.7\ns=-\nt=0 0\nm=audio 7000 RTP/AVP 0\nm=audio 7002 RTP/AVP 8\nc=IN IP4 198.51.100.8\n");
        var output = new ArrayBufferWriter<byte>();

        SdpNegotiation negotiation = Answer(offer, Local(), output);

        Assert.Equal(1, negotiation.MediaIndex);
        Assert.Equal(8, negotiation.Codec.PayloadType);
        Assert.Contains("m=audio 0 RTP/AVP 0\r\nm=audio 40000 RTP/AVP 8\r\n", Text(output.WrittenSpan));
    }

    [Fact]
    public void Reads_the_RFC_3264_answer_to_our_offer()
    {
        // We made the §10.1 offer (three streams, audio first); Bob answered.
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(SdpFile("rfc3264-10.1-answer.sdp"), index, out SdpSession answer).Success);

        SdpNegotiation negotiation = SdpOfferAnswer.ReadAnswer(answer, Supported, offeredMediaCount: 3);

        Assert.True(negotiation.IsAccepted);
        Assert.Equal(0, negotiation.Codec.PayloadType);
        Assert.Equal(49920, negotiation.RemotePort);
        Assert.Equal(SdpDirection.SendRecv, negotiation.Direction);
        Assert.Equal(-1, negotiation.TelephoneEventPayloadType);
    }

    [Fact]
    public void Reads_the_inactive_RFC_3264_one_of_N_answer()
    {
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(SdpFile("rfc3264-10.2-answer.sdp"), index, out SdpSession answer).Success);

        SdpNegotiation negotiation = SdpOfferAnswer.ReadAnswer(answer, Supported, offeredDirection: SdpDirection.Inactive);

        Assert.True(negotiation.IsAccepted);
        Assert.Equal(0, negotiation.Codec.PayloadType);
        Assert.Equal(54344, negotiation.RemotePort);
        Assert.Equal(SdpDirection.Inactive, negotiation.Direction);
    }

    [Theory]
    [InlineData("m=audio 9000 RTP/AVP 8 0 101\na=rtpmap:101 telephone-event/8000\na=recvonly\n", SdpNegotiationOutcome.Accepted, 8, 101, SdpDirection.SendOnly)]
    [InlineData("m=audio 9000 RTP/AVP 0\na=sendonly\n", SdpNegotiationOutcome.Accepted, 0, -1, SdpDirection.RecvOnly)]
    [InlineData("c=IN IP4 0.0.0.0\nm=audio 9000 RTP/AVP 0\n", SdpNegotiationOutcome.Accepted, 0, -1, SdpDirection.RecvOnly)]
    [InlineData("m=audio 0 RTP/AVP 0\n", SdpNegotiationOutcome.MediaRejected, -1, -1, SdpDirection.Inactive)]
    [InlineData("m=audio 9000 RTP/AVP 18\n", SdpNegotiationOutcome.NoCommonCodec, -1, -1, SdpDirection.Inactive)]
    [InlineData("m=audio 9000 RTP/AVP 0\nm=video 0 RTP/AVP 31\n", SdpNegotiationOutcome.MediaCountMismatch, -1, -1, SdpDirection.Inactive)]
    [InlineData("", SdpNegotiationOutcome.MediaCountMismatch, -1, -1, SdpDirection.Inactive)]
    public void Selects_from_the_answer_to_our_offer(string media, SdpNegotiationOutcome outcome, int codec, int events, SdpDirection direction)
    {
        // RFC 3264 §7: the answerer's order is its preference; we may send any format it lists that we offered.
        byte[] body = Crlf("v=0\no=- 2 2 IN IP4 198.51.100.9\ns=-\nt=0 0\n" + (media.StartsWith('c') ? string.Empty : "c=IN IP4 198.51.100.9\n") + media);
        Span<SdpLine> index = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(body, index, out SdpSession answer).Success);

        SdpNegotiation negotiation = SdpOfferAnswer.ReadAnswer(answer, Supported);

        Assert.Equal(outcome, negotiation.Outcome);
        if (outcome == SdpNegotiationOutcome.Accepted)
        {
            Assert.Equal(codec, negotiation.Codec.PayloadType);
            Assert.Equal(events, negotiation.TelephoneEventPayloadType);
            Assert.Equal(direction, negotiation.Direction);
            Assert.Equal(9000, negotiation.RemotePort);
        }
    }

    [Fact]
    public void An_offer_we_write_is_answered_and_read_back_consistently()
    {
        var offerOutput = new ArrayBufferWriter<byte>();
        SdpOfferAnswer.WriteOffer(Local(), Supported, offerOutput);
        Span<SdpLine> offerIndex = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(offerOutput.WrittenSpan, offerIndex, out SdpSession offer).Success);

        var answerOutput = new ArrayBufferWriter<byte>();
        var peer = new SdpLocalMedia(SdpAddressType.IP6, "2001:db8::9"u8, 50000, 99, 1) { Ptime = 30 };
        SdpNegotiation peerView = SdpOfferAnswer.Answer(offer, [SdpCodec.Pcma, SdpCodec.TelephoneEvent(96)], peer, answerOutput);
        Span<SdpLine> answerIndex = stackalloc SdpLine[32];
        Assert.True(SdpReader.Read(answerOutput.WrittenSpan, answerIndex, out SdpSession answer).Success);
        SdpNegotiation ourView = SdpOfferAnswer.ReadAnswer(answer, Supported);

        Assert.True(peerView.IsAccepted && ourView.IsAccepted);
        Assert.Equal(8, peerView.Codec.PayloadType);
        Assert.Equal(8, ourView.Codec.PayloadType);
        Assert.Equal(101, peerView.TelephoneEventPayloadType);
        Assert.Equal(101, ourView.TelephoneEventPayloadType);
        Assert.Equal(40000, peerView.RemotePort);
        Assert.Equal(50000, ourView.RemotePort);
        Assert.Equal(30, ourView.RemotePtime);
        Assert.Equal(20, peerView.RemotePtime);
    }

    private static SdpLocalMedia Local(SdpDirection direction = SdpDirection.SendRecv) =>
        new(SdpAddressType.IP4, "192.0.2.10"u8, 40000, 7001, 1) { Ptime = 20, Direction = direction };

    private static SdpNegotiation AnswerVector(string name, SdpLocalMedia local, ArrayBufferWriter<byte> output) =>
        Answer(SdpFile(name), local, output);

    private static SdpNegotiation Answer(byte[] offerBody, SdpLocalMedia local, ArrayBufferWriter<byte> output)
    {
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        SdpReadResult result = SdpReader.Read(offerBody, index, out SdpSession offer);
        Assert.True(result.Success, result.ToString());
        return SdpOfferAnswer.Answer(offer, Supported, local, output);
    }
}
