using System.Text;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

public sealed class SipSdpHoldAnswerTests
{
    private static string Answer(byte[] ours, byte[] offer)
    {
        var output = new SipMessageBuffer();
        Assert.True(SipSdpHoldAnswer.TryWrite(ours, offer, output));
        return Encoding.ASCII.GetString(output.WrittenSpan);
    }

    [Fact]
    public void Sendonly_offer_is_answered_recvonly_with_the_next_version()
    {
        string answer = Answer(TestSdp.AnswerTo(TestSdp.Offer), TestSdp.HoldOffer);
        Assert.Equal("recvonly", TestSdp.DirectionOf(Encoding.ASCII.GetBytes(answer)));
        // RFC 3264 §8: a changed description carries the next o= version.
        Assert.Contains("o=- 2000 2 IN IP4 127.0.0.1\r\n", answer);
        Assert.Single(answer.Split("\r\n"), l => l is "a=sendrecv" or "a=sendonly" or "a=recvonly" or "a=inactive");
    }

    [Fact]
    public void Resume_offer_is_answered_sendrecv()
    {
        string held = Answer(TestSdp.AnswerTo(TestSdp.Offer), TestSdp.HoldOffer);
        string resumed = Answer(Encoding.ASCII.GetBytes(held), TestSdp.ResumeOffer);
        Assert.Equal("sendrecv", TestSdp.DirectionOf(Encoding.ASCII.GetBytes(resumed)));
        Assert.Contains("o=- 2000 3 IN IP4 127.0.0.1\r\n", resumed);
    }

    [Fact]
    public void An_offer_at_0_0_0_0_gets_nothing_sent_to_it()
    {
        string offer = Encoding.ASCII.GetString(TestSdp.Offer).Replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0");
        string answer = Answer(TestSdp.AnswerTo(TestSdp.Offer), Encoding.ASCII.GetBytes(offer));
        // RFC 3264 §8.4: the RFC 2543 hold; we may still receive, never send.
        Assert.Equal("recvonly", TestSdp.DirectionOf(Encoding.ASCII.GetBytes(answer)));
    }

    [Fact]
    public void Unreadable_descriptions_give_no_answer()
    {
        var output = new SipMessageBuffer();
        Assert.False(SipSdpHoldAnswer.TryWrite(TestSdp.Offer, "not sdp"u8, output));
        Assert.False(SipSdpHoldAnswer.TryWrite(default, TestSdp.Offer, output));
    }
}
