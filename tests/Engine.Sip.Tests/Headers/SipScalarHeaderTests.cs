using System.Text;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Headers;

public class SipScalarHeaderTests
{
    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData("1 INVITE", 1u, SipMethod.Invite, "INVITE")]
    [InlineData("0009\r\n  INVITE", 9u, SipMethod.Invite, "INVITE")]
    [InlineData("4294967295 BYE", 4294967295u, SipMethod.Bye, "BYE")]
    [InlineData("  63104   OPTIONS  ", 63104u, SipMethod.Options, "OPTIONS")]
    [InlineData("139122385 !interesting-Method0123456789_*+`.%indeed'~", 139122385u, SipMethod.Extension, "!interesting-Method0123456789_*+`.%indeed'~")]
    [InlineData("0000000000000001 ACK", 1u, SipMethod.Ack, "ACK")]
    [InlineData("0000004294967295 invite", 4294967295u, SipMethod.Extension, "invite")]
    public void Parses_cseq(string text, uint number, SipMethod method, string name)
    {
        Assert.True(SipCSeq.TryParse(B(text), out SipCSeq c));
        Assert.Equal(number, c.Number);
        Assert.Equal(method, c.Method);
        Assert.Equal(name, T(c.MethodName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("INVITE")]
    [InlineData("1")]
    [InlineData("1INVITE")]
    [InlineData("-1 INVITE")]
    [InlineData("4294967296 INVITE")]
    [InlineData("36893488147419103232 REGISTER")]
    [InlineData("00000000000000001 ACK")]
    [InlineData("99999999999999999999999 ACK")]
    [InlineData("1 INVITE extra")]
    [InlineData("1 INV(ITE")]
    public void Rejects_malformed_cseq(string text)
    {
        Assert.False(SipCSeq.TryParse(B(text), out _));
    }

    [Theory]
    [InlineData("70", true, 70)]
    [InlineData("0068", true, 68)]
    [InlineData("0", true, 0)]
    [InlineData("255", true, 255)]
    [InlineData("256", false, 0)]
    [InlineData("300", false, 0)]
    [InlineData("-1", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("7 0", false, 0)]
    public void Parses_max_forwards_in_range(string text, bool ok, int hops)
    {
        Assert.Equal(ok, SipHeaderValues.TryParseMaxForwards(B(text), out int h));
        if (ok)
            Assert.Equal(hops, h);
    }

    [Theory]
    [InlineData("3600", true, 3600u)]
    [InlineData("4294967295", true, 4294967295u)]
    [InlineData("4294967296", false, 0u)]
    [InlineData("10000000000000000000000", false, 0u)]
    [InlineData("abc", false, 0u)]
    public void Parses_delta_seconds(string text, bool ok, uint value)
    {
        Assert.Equal(ok, SipHeaderValues.TryParseDeltaSeconds(B(text), out uint v));
        Assert.Equal(value, v);
    }

    [Fact]
    public void Parses_rseq_and_rack()
    {
        Assert.True(SipHeaderValues.TryParseRSeq(B("988789"), out uint rseq));
        Assert.Equal(988789u, rseq);
        Assert.False(SipHeaderValues.TryParseRSeq(B("0"), out _));
        Assert.True(SipRAck.TryParse(B("776656 1 INVITE"), out SipRAck rack));
        Assert.Equal(776656u, rack.ResponseNumber);
        Assert.Equal(1u, rack.CSeqNumber);
        Assert.Equal(SipMethod.Invite, rack.Method);
        Assert.False(SipRAck.TryParse(B("776656"), out _));
        Assert.False(SipRAck.TryParse(B("776656 1"), out _));
        Assert.False(SipRAck.TryParse(B("0 1 INVITE"), out _));
        Assert.False(SipRAck.TryParse(B("776656INVITE"), out _));
    }

    [Fact]
    public void Parses_session_expires_and_min_se()
    {
        Assert.True(SipSessionExpires.TryParse(B("1800;refresher=uac"), out var se));
        Assert.Equal(1800u, se.DeltaSeconds);
        Assert.True(se.RefresherIsUac);
        Assert.False(se.RefresherIsUas);
        Assert.True(SipSessionExpires.TryParse(B("4000 ; refresher = UAS ; x"), out se));
        Assert.True(se.RefresherIsUas);
        Assert.True(SipSessionExpires.TryParse(B("90"), out var minSe));
        Assert.Equal(90u, minSe.DeltaSeconds);
        Assert.True(minSe.Refresher.IsEmpty);
        Assert.False(SipSessionExpires.TryParse(B("uac"), out _));
        Assert.False(SipSessionExpires.TryParse(B("1800;"), out _));
        Assert.False(SipSessionExpires.TryParse(B("1800 junk"), out _));
    }

    [Fact]
    public void Parses_retry_after_with_comment_and_duration()
    {
        Assert.True(SipRetryAfter.TryParse(B("18000;duration=3600"), out var r));
        Assert.Equal(18000u, r.DeltaSeconds);
        Assert.True(r.TryGetDuration(out uint d));
        Assert.Equal(3600u, d);
        Assert.True(SipRetryAfter.TryParse(B("120 (I'm in a meeting (really))"), out r));
        Assert.Equal("(I'm in a meeting (really))", T(r.Comment));
        Assert.False(SipRetryAfter.TryParse(B("949302838503028349304023988"), out _));
        Assert.False(SipRetryAfter.TryParse(B("120 (unclosed"), out _));
    }

    [Theory]
    [InlineData("application/sdp", "application", "sdp")]
    [InlineData("Application/SDP", "Application", "SDP")]
    [InlineData("multipart/mixed;boundary=7a9cbec02ceef655", "multipart", "mixed")]
    [InlineData("text/plain ; charset = \"utf-8\"", "text", "plain")]
    [InlineData("application / sdp", "application", "sdp")]
    public void Parses_content_type(string text, string type, string subtype)
    {
        Assert.True(SipContentType.TryParse(B(text), out var ct));
        Assert.Equal(type, T(ct.Type));
        Assert.Equal(subtype, T(ct.Subtype));
        Assert.True(ct.Is(B($"{type.ToLowerInvariant()}/{subtype.ToUpperInvariant()}")));
    }

    [Fact]
    public void Content_type_parameters_and_sdp_check()
    {
        Assert.True(SipContentType.TryParse(B("multipart/mixed;boundary=7a9cbec02ceef655"), out var ct));
        Assert.True(ct.Parameters.TryGetValue("BOUNDARY"u8, out var b));
        Assert.Equal("7a9cbec02ceef655", T(b));
        Assert.False(ct.IsSdp);
        Assert.True(SipContentType.TryParse(B("application/sdp"), out ct));
        Assert.True(ct.IsSdp);
        Assert.False(SipContentType.TryParse(B("application"), out _));
        Assert.False(SipContentType.TryParse(B("application/"), out _));
        Assert.False(SipContentType.TryParse(B("/sdp"), out _));
        Assert.False(SipContentType.TryParse(B("application/sdp;"), out _));
    }

    [Fact]
    public void Finds_tokens_in_lists_across_lines()
    {
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Supported: replaces, timer", "k: 100rel", "Allow: INVITE, ACK", "", "")).IsSuccess);
        Assert.True(SipHeaderValues.ContainsToken(m, SipHeaderId.Supported, "100rel"u8));
        Assert.True(SipHeaderValues.ContainsToken(m, SipHeaderId.Supported, "timer"u8));
        Assert.False(SipHeaderValues.ContainsToken(m, SipHeaderId.Supported, "TIMER"u8));
        Assert.True(SipHeaderValues.ContainsToken(m, SipHeaderId.Supported, "TIMER"u8, ignoreCase: true));
        Assert.True(SipHeaderValues.ContainsToken(m, SipHeaderId.Allow, "ACK"u8));
        Assert.False(SipHeaderValues.ContainsToken(m, SipHeaderId.Require, "timer"u8));
    }
}
