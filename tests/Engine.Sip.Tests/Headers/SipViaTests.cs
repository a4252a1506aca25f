using System.Text;
using Dialtone.Engine.Sip.Headers;

namespace Dialtone.Engine.Sip.Tests.Headers;

public class SipViaTests
{
    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static SipVia Parse(string text)
    {
        Assert.True(SipVia.TryParse(Encoding.UTF8.GetBytes(text), out SipVia via), text);
        return via;
    }

    [Fact]
    public void Parses_protocol_sent_by_and_known_parameters()
    {
        var v = Parse("SIP/2.0/UDP client.atlanta.example.com:5060;branch=z9hG4bK74bf9;received=192.0.2.101;rport=5060;maddr=239.1.1.1;ttl=16;x=y");
        Assert.Equal("SIP", T(v.ProtocolName));
        Assert.Equal("2.0", T(v.ProtocolVersion));
        Assert.Equal("UDP", T(v.Transport));
        Assert.Equal("client.atlanta.example.com", T(v.Host));
        Assert.Equal(5060, v.Port);
        Assert.Equal("z9hG4bK74bf9", T(v.Branch));
        Assert.True(v.HasMagicCookie);
        Assert.Equal("192.0.2.101", T(v.Received));
        Assert.True(v.HasRPort);
        Assert.Equal(5060, v.RPort);
        Assert.Equal("239.1.1.1", T(v.MAddr));
        Assert.Equal(16, v.Ttl);
        Assert.True(v.Parameters.TryGetValue("X"u8, out var x));
        Assert.Equal("y", T(x));
    }

    [Fact]
    public void Rport_without_value_is_present_with_no_port()
    {
        var v = Parse("SIP/2.0/UDP h;branch=z9hG4bK1;rport");
        Assert.True(v.HasRPort);
        Assert.Equal(-1, v.RPort);
        Assert.Equal(-1, v.Port);
        Assert.Equal(-1, v.Ttl);
        Assert.False(Parse("SIP/2.0/UDP h;branch=z9hG4bK1").HasRPort);
    }

    [Theory]
    [InlineData("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw", "UDP", "192.0.2.2", -1, "390skdjuw")]
    [InlineData("SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8", "TCP", "spindle.example.com", -1, "z9hG4bK9ikj8")]
    [InlineData("SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239", "UDP", "192.168.255.111", -1, "z9hG4bK30239")]
    [InlineData("SIP/2.0/TLS h.example.com : 5061 ;branch=z9hG4bK1", "TLS", "h.example.com", 5061, "z9hG4bK1")]
    [InlineData("SIP/2.0/UDP [2001:db8::9:1]:5070;received=[2001:db8::9:255];branch=z9hG4bKas3", "UDP", "[2001:db8::9:1]", 5070, "z9hG4bKas3")]
    [InlineData("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3", "UDP", "[2001:db8::9:1]", -1, "z9hG4bKas3")]
    [InlineData("SIP/2.0/FOO h.example.com;branch=z9hG4bK-.!%66*_+`'~", "FOO", "h.example.com", -1, "z9hG4bK-.!%66*_+`'~")]
    [InlineData("SIP/2.0/UDP iftgw.example.com", "UDP", "iftgw.example.com", -1, "")]
    public void Tolerates_whitespace_and_folds_around_separators(string text, string transport, string host, int port, string branch)
    {
        var v = Parse(text);
        Assert.Equal(transport, T(v.Transport));
        Assert.Equal(host, T(v.Host));
        Assert.Equal(port, v.Port);
        Assert.Equal(branch, T(v.Branch));
    }

    [Theory]
    [InlineData("")]
    [InlineData("SIP/2.0/UDP")]
    [InlineData("SIP/2.0 UDP host")]
    [InlineData("SIP/2.0/UDPhost")]
    [InlineData("SIP/2.0/UDP 192.0.2.15;;")]
    [InlineData("SIP/2.0/UDP host;branch")]
    [InlineData("SIP/2.0/UDP host;branch=")]
    [InlineData("SIP/2.0/UDP host:99999")]
    [InlineData("SIP/2.0/UDP host:")]
    [InlineData("SIP/2.0/UDP host;rport=70000")]
    [InlineData("SIP/2.0/UDP host;ttl=256")]
    [InlineData("SIP/2.0/UDP host;received=not_an_ip!")]
    [InlineData("SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1")]
    [InlineData("SIP/2.0/UDP host extra")]
    [InlineData("SIP/2.0/UDP ho@st")]
    public void Rejects_malformed_via_values(string text)
    {
        Assert.False(SipVia.TryParse(Encoding.UTF8.GetBytes(text), out _), text);
    }
}
