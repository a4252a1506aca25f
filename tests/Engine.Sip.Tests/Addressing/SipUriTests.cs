using System.Text;
using Dialtone.Engine.Sip.Addressing;

namespace Dialtone.Engine.Sip.Tests.Addressing;

public class SipUriTests
{
    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static SipUri Parse(string text)
    {
        Assert.True(SipUri.TryParse(Encoding.UTF8.GetBytes(text), out SipUri uri), text);
        return uri;
    }

    [Fact]
    public void Parses_every_part_of_a_sip_uri()
    {
        var u = Parse("sip:alice:secretword@atlanta.com:5061;transport=tcp;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent");
        Assert.Equal(SipUriScheme.Sip, u.Scheme);
        Assert.Equal("alice", T(u.User));
        Assert.True(u.HasPassword);
        Assert.Equal("secretword", T(u.Password));
        Assert.Equal("atlanta.com", T(u.Host));
        Assert.Equal(5061, u.Port);
        Assert.Equal("tcp", T(u.Transport));
        Assert.Equal("239.255.255.1", T(u.MAddr));
        Assert.True(u.IsLooseRouting);
        Assert.Equal(3, u.Parameters.Count);
        Assert.Equal("subject=project%20x&priority=urgent", T(u.Headers));
    }

    [Theory]
    [InlineData("sips:bob@biloxi.com", SipUriScheme.Sips, "bob", "biloxi.com", -1)]
    [InlineData("SIP:Bob@BILOXI.com", SipUriScheme.Sip, "Bob", "BILOXI.com", -1)]
    [InlineData("sip:biloxi.com", SipUriScheme.Sip, "", "biloxi.com", -1)]
    [InlineData("sip:192.0.2.4:5070", SipUriScheme.Sip, "", "192.0.2.4", 5070)]
    [InlineData("sip:[2001:db8::10]", SipUriScheme.Sip, "", "[2001:db8::10]", -1)]
    [InlineData("sip:[2001:db8::10]:5070", SipUriScheme.Sip, "", "[2001:db8::10]", 5070)]
    [InlineData("sip:[2001:db8::10:5070]", SipUriScheme.Sip, "", "[2001:db8::10:5070]", -1)]
    [InlineData("sip:user@[::ffff:192.0.2.10]", SipUriScheme.Sip, "user", "[::ffff:192.0.2.10]", -1)]
    [InlineData("sip:user@[2001:db8:::192.0.2.1]", SipUriScheme.Sip, "user", "[2001:db8:::192.0.2.1]", -1)]
    [InlineData("sip:user;par=u%40example.net@example.com", SipUriScheme.Sip, "user;par=u%40example.net", "example.com", -1)]
    [InlineData("sip:+1-212-555-1212:1234@gateway.com;user=phone", SipUriScheme.Sip, "+1-212-555-1212", "gateway.com", -1)]
    [InlineData("sip:null-%00-null@example.com", SipUriScheme.Sip, "null-%00-null", "example.com", -1)]
    public void Parses_users_hosts_and_ports(string text, SipUriScheme scheme, string user, string host, int port)
    {
        var u = Parse(text);
        Assert.Equal(scheme, u.Scheme);
        Assert.Equal(user, T(u.User));
        Assert.Equal(host, T(u.Host));
        Assert.Equal(port, u.Port);
    }

    [Fact]
    public void Parses_tel_uris_with_parameters()
    {
        var u = Parse("tel:+1-201-555-0123;phone-context=example.com");
        Assert.Equal(SipUriScheme.Tel, u.Scheme);
        Assert.Equal("+1-201-555-0123", T(u.User));
        Assert.True(u.Host.IsEmpty);
        Assert.True(u.Parameters.TryGetValue("PHONE-CONTEXT"u8, out var ctx));
        Assert.Equal("example.com", T(ctx));
    }

    [Theory]
    [InlineData("http://www.example.com/a?b=c")]
    [InlineData("isbn:2983792873")]
    [InlineData("soap.beep://192.0.2.103:3002")]
    [InlineData("name:John_Smith")]
    public void Keeps_other_schemes_opaque(string text)
    {
        var u = Parse(text);
        Assert.Equal(SipUriScheme.Other, u.Scheme);
        Assert.Equal(text[(text.IndexOf(':') + 1)..], T(u.Opaque));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sip")]
    [InlineData(":foo")]
    [InlineData("<sip:a@b>")]
    [InlineData("1sip:a@b")]
    [InlineData("sip:")]
    [InlineData("sip:@host")]
    [InlineData("sip:a@b@c")]
    [InlineData("sip:a@")]
    [InlineData("sip:a@host:")]
    [InlineData("sip:a@host:65536")]
    [InlineData("sip:a@host:123456")]
    [InlineData("sip:a@host:5x")]
    [InlineData("sip:2001:db8::10")]
    [InlineData("sip:[2001:db8::10")]
    [InlineData("sip:[2001:db8::10]x")]
    [InlineData("sip:[1:2:3:4:5:6:7:8:9]")]
    [InlineData("sip:[1::2::3]")]
    [InlineData("sip:[gggg::1]")]
    [InlineData("sip:[::1.2.3.256]")]
    [InlineData("sip:a b@host")]
    [InlineData("sip:a@ho st")]
    [InlineData("sip:a@host..com")]
    [InlineData("sip:a%2@host")]
    [InlineData("sip:a@host;")]
    [InlineData("sip:a@host;=x")]
    [InlineData("sip:a@host;x=")]
    [InlineData("sip:a@host?")]
    [InlineData("sip:a@host?novalue")]
    [InlineData("sip:a@host?a=<b>")]
    [InlineData("tel:")]
    [InlineData("tel:+1 555")]
    [InlineData("other:has space")]
    [InlineData("other:")]
    public void Rejects_malformed_uris(string text)
    {
        Assert.False(SipUri.TryParse(Encoding.UTF8.GetBytes(text), out _), text);
    }

    // RFC 3261 §19.1.4: pairs that are equivalent.
    [Theory]
    [InlineData("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com;security=on")]
    [InlineData("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on")]
    [InlineData("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com", "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com")]
    [InlineData("sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com?priority=urgent&subject=project%20x")]
    [InlineData("tel:+1-201-555-0123", "tel:+1(201)5550123")]
    public void Equivalent_uris_compare_equal(string a, string b)
    {
        var x = Parse(a);
        var y = Parse(b);
        Assert.True(x.EqualsUri(y));
        Assert.True(y.EqualsUri(x));
    }

    // RFC 3261 §19.1.4: pairs that are not equivalent.
    [Theory]
    [InlineData("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp;ttl=1")]
    [InlineData("sip:bob@biloxi.com;transport=udp", "sip:bob@biloxi.com;transport=tcp")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com;maddr=10.0.0.1")]
    [InlineData("sip:bob@biloxi.com", "sip:bob@biloxi.com;user=phone")]
    [InlineData("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting")]
    [InlineData("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4")]
    [InlineData("sip:alice@atlanta.com", "sips:alice@atlanta.com")]
    [InlineData("sip:alice@atlanta.com", "sip:alice:pw@atlanta.com")]
    [InlineData("tel:+1-201-555-0123", "tel:+1-201-555-0124")]
    public void Different_uris_compare_unequal(string a, string b)
    {
        var x = Parse(a);
        var y = Parse(b);
        Assert.False(x.EqualsUri(y));
        Assert.False(y.EqualsUri(x));
    }

    [Fact]
    public void Repeated_parameters_compare_by_their_first_occurrence()
    {
        // Found by the mutation property test: a repeated parameter made a URI differ from itself.
        var u = Parse("sip:a@h;transport=x;transport=tcp");
        Assert.True(u.EqualsUri(u));
        Assert.True(u.EqualsUri(Parse("sip:a@h;transport=x")));
        Assert.False(u.EqualsUri(Parse("sip:a@h;transport=tcp")));
    }

    [Fact]
    public void Parameter_lookup_resolves_escapes_and_ignores_case()
    {
        var u = Parse("sip:host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
        Assert.True(u.Parameters.Contains("LR"u8));
        Assert.True(u.Parameters.TryGetValue("name"u8, out var value));
        Assert.Equal("v%61lue%25%34%31", T(value));
        Assert.False(u.Parameters.Contains("missing"u8));
    }
}
