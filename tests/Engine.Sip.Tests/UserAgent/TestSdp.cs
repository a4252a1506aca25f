using System.Text;
using Dialtone.Engine.Sip.Sdp;
using Dialtone.Engine.Sip.Tests.Transactions;
using Dialtone.Engine.Sip.Transactions;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>Session descriptions for call tests: offers from files, answers made by the engine's own offer/answer code.</summary>
internal static class TestSdp
{
    public static byte[] Offer => Load("offer.sdp");

    public static byte[] HoldOffer => Load("hold-offer.sdp");

    public static byte[] ResumeOffer => Load("resume-offer.sdp");

    public static byte[] EarlyMedia => Load("early-media.sdp");

    public static byte[] Load(string name) =>
        Encoding.ASCII.GetBytes(SipTemplates.Text("UserAgent", name).Replace("\r\n", "\n").Replace("\n", "\r\n"));

    /// <summary>The RFC 3264 answer our own code gives to <paramref name="offer"/> (PCMU/PCMA and telephone-event).</summary>
    public static byte[] AnswerTo(ReadOnlySpan<byte> offer, int rtpPort = 42000)
    {
        Span<SdpLine> lines = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        var read = SdpReader.Read(offer, lines, out SdpSession session);
        Assert.True(read.Success, read.ToString());
        var output = new SipMessageBuffer();
        var local = new SdpLocalMedia(SdpAddressType.IP4, "127.0.0.1"u8, rtpPort, 2000, 1) { Ptime = 20 };
        var negotiation = SdpOfferAnswer.Answer(session, [SdpCodec.Pcmu, SdpCodec.Pcma, SdpCodec.TelephoneEvent()], local, output);
        Assert.True(negotiation.IsAccepted);
        return output.WrittenSpan.ToArray();
    }

    public static string DirectionOf(ReadOnlySpan<byte> sdp)
    {
        Span<SdpLine> lines = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        Assert.True(SdpReader.Read(sdp, lines, out SdpSession session).Success);
        foreach (SdpMedia media in session.Media)
            return Encoding.ASCII.GetString(media.Direction.ToAttributeName());
        return "";
    }
}
