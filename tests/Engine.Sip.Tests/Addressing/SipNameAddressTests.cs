using System.Text;
using Dialtone.Engine.Sip.Addressing;

namespace Dialtone.Engine.Sip.Tests.Addressing;

public class SipNameAddressTests
{
    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static SipNameAddress Parse(string text, bool wildcard = false)
    {
        Assert.True(SipNameAddress.TryParse(Encoding.UTF8.GetBytes(text), out SipNameAddress a, wildcard), text);
        return a;
    }

    private static string DisplayName(SipNameAddress a)
    {
        Span<byte> buffer = stackalloc byte[256];
        Assert.True(a.TryGetDisplayName(buffer, out int written));
        return Encoding.UTF8.GetString(buffer[..written]);
    }

    [Theory]
    [InlineData("\"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl", "Alice Liddell", "sip:alice@atlanta.example.com", "9fxced76sl")]
    [InlineData("Bob <sip:bob@biloxi.example.com>", "Bob", "sip:bob@biloxi.example.com", "")]
    [InlineData("J Rosenberg <sip:j@example.com> ; tag = 98asjd8", "J Rosenberg", "sip:j@example.com", "98asjd8")]
    [InlineData("caller<sip:caller@example.com>;tag=323", "caller", "sip:caller@example.com", "323")]
    [InlineData("<sip:carol@chicago.example.com>", "", "sip:carol@chicago.example.com", "")]
    [InlineData("sip:user@example.com;tag=1918181833n", "", "sip:user@example.com", "1918181833n")]
    [InlineData("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n", "", "sip:vivekg@chair-dnrc.example.com", "1918181833n")]
    [InlineData("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8", "J Rosenberg \\\"", "sip:jdrosen@example.com", "98asjd8")]
    [InlineData("\"Watson, Thomas\" < sip:t.watson@example.org >", "Watson, Thomas", "sip:t.watson@example.org", "")]
    [InlineData("\"\" <sip:a@b>", "", "sip:a@b", "")]
    [InlineData("\"folded\r\n name\" <sip:a@b>", "folded name", "sip:a@b", "")]
    [InlineData("<sip:user@host?Route=%3Csip:sip.example.com%3E>", "", "sip:user@host?Route=%3Csip:sip.example.com%3E", "")]
    [InlineData("isbn:2983792873", "", "isbn:2983792873", "")]
    [InlineData("<tel:+1-201-555-0123>;tag=x", "", "tel:+1-201-555-0123", "x")]
    public void Parses_display_name_uri_and_tag(string text, string display, string uri, string tag)
    {
        var a = Parse(text);
        Assert.Equal(display, DisplayName(a));
        Assert.Equal(uri, T(a.UriText));
        Assert.Equal(tag, T(a.Tag));
        Assert.Equal(tag.Length > 0, a.HasTag);
    }

    [Fact]
    public void Contact_params_are_header_params_in_addr_spec_form()
    {
        var a = Parse("sip:+19725552222@gw1.example.net;unknownparam");
        Assert.False(a.HasAngleBrackets);
        Assert.True(a.Parameters.Contains("unknownparam"u8));
        Assert.True(a.Uri.Parameters.IsEmpty);
        var b = Parse("<sip:+19725552222@gw1.example.net;unknownparam>");
        Assert.True(b.Uri.Parameters.Contains("unknownparam"u8));
        Assert.True(b.Parameters.IsEmpty);
    }

    [Fact]
    public void Reads_contact_expires_and_q()
    {
        var a = Parse("\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33;expires=3600");
        Assert.True(a.TryGetQ(out int q));
        Assert.Equal(330, q);
        Assert.True(a.TryGetExpires(out uint expires));
        Assert.Equal(3600u, expires);
        Assert.True(a.Parameters.TryGetValue("NEWPARAM"u8, out var v));
        Assert.Equal("newvalue", T(v));
        Assert.Equal("Quoted string \"\"", DisplayName(a));
    }

    [Theory]
    [InlineData("q=1", 1000)]
    [InlineData("q=1.000", 1000)]
    [InlineData("q=0", 0)]
    [InlineData("q=0.5", 500)]
    [InlineData("q=0.001", 1)]
    public void Parses_q_values(string param, int expected)
    {
        Assert.True(Parse("<sip:a@b>;" + param).TryGetQ(out int q));
        Assert.Equal(expected, q);
    }

    [Theory]
    [InlineData("q=1.5")]
    [InlineData("q=2")]
    [InlineData("q=0.1234")]
    [InlineData("q=.5")]
    [InlineData("expires=280297596632815")]
    public void Rejects_out_of_range_q_and_expires(string param)
    {
        var a = Parse("<sip:a@b>;" + param);
        Assert.False(a.TryGetQ(out _) && param.StartsWith('q'));
        Assert.False(a.TryGetExpires(out _) && param.StartsWith('e'));
    }

    [Fact]
    public void Accepts_the_contact_wildcard_only_when_asked()
    {
        Assert.True(Parse("*", wildcard: true).IsWildcard);
        Assert.False(SipNameAddress.TryParse("*"u8, out _));
        Assert.False(SipNameAddress.TryParse("* <sip:a@b>"u8, out _, allowWildcard: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\"Mr. J. User <sip:j.user@example.com>")]
    [InlineData("Bell, Alexander <sip:a.g.bell@example.com>;tag=43")]
    [InlineData("sip:user@example.com?Route=%3Csip:sip.example.com%3E")]
    [InlineData("<sip:a@b")]
    [InlineData("\"Joe\" <sip:joe@example.org>;;;;")]
    [InlineData("<sip:a@b>;tag=")]
    [InlineData("<sip:a@b> trailing")]
    [InlineData("\"name\" sip:a@b")]
    [InlineData("<not a uri>")]
    [InlineData("<sip:a@b>;tag=\"unterminated")]
    public void Rejects_malformed_addresses(string text)
    {
        Assert.False(SipNameAddress.TryParse(Encoding.UTF8.GetBytes(text), out _, allowWildcard: true), text);
    }

    [Fact]
    public void Display_name_copy_fails_cleanly_when_the_buffer_is_small()
    {
        var a = Parse("\"A long display name\" <sip:a@b>");
        Span<byte> tiny = stackalloc byte[4];
        Assert.False(a.TryGetDisplayName(tiny, out _));
    }
}
