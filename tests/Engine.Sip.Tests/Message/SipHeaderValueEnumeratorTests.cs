using System.Text;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Message;

public class SipHeaderValueEnumeratorTests
{
    private static List<string> Values(SipMessage m, SipHeaderId id)
    {
        var list = new List<string>();
        foreach (ReadOnlySpan<byte> v in m.GetValues(id))
            list.Add(Encoding.UTF8.GetString(v));
        return list;
    }

    private static SipMessage Parse(params string[] headerLines)
    {
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Crlf(["OPTIONS sip:a@b SIP/2.0", .. headerLines, "", ""])).IsSuccess);
        return m;
    }

    [Fact]
    public void Walks_commas_within_a_line_and_across_lines()
    {
        var m = Parse("Via: SIP/2.0/UDP a;branch=z9hG4bK1 , SIP/2.0/UDP b;branch=z9hG4bK2", "v: SIP/2.0/TCP c;branch=z9hG4bK3");
        Assert.Equal(["SIP/2.0/UDP a;branch=z9hG4bK1", "SIP/2.0/UDP b;branch=z9hG4bK2", "SIP/2.0/TCP c;branch=z9hG4bK3"], Values(m, SipHeaderId.Via));
    }

    [Fact]
    public void Commas_inside_quotes_and_angle_brackets_do_not_split()
    {
        var m = Parse("Contact: \"Doe, John\" <sip:j@a;x=1,2>;q=0.5, <sip:k@b>", "Contact: \"a \\\" , b\" <sip:c@d>");
        Assert.Equal(["\"Doe, John\" <sip:j@a;x=1,2>;q=0.5", "<sip:k@b>", "\"a \\\" , b\" <sip:c@d>"], Values(m, SipHeaderId.Contact));
    }

    [Fact]
    public void Folded_values_split_at_commas_and_trim_the_fold()
    {
        var m = Parse("Allow: INVITE,", "   ACK ,BYE", "Allow: CANCEL");
        Assert.Equal(["INVITE", "ACK", "BYE", "CANCEL"], Values(m, SipHeaderId.Allow));
    }

    [Fact]
    public void Empty_elements_are_reported_so_strict_callers_can_reject_them()
    {
        var m = Parse("Supported: a,,b,", "Supported:");
        Assert.Equal(["a", "", "b", "", ""], Values(m, SipHeaderId.Supported));
    }

    [Fact]
    public void Unterminated_quote_or_bracket_makes_the_rest_one_element()
    {
        var m = Parse("Contact: \"open, <sip:a@b>, <sip:c@d>", "Route: <sip:x@y, <sip:z@w>");
        Assert.Equal(["\"open, <sip:a@b>, <sip:c@d>"], Values(m, SipHeaderId.Contact));
        Assert.Equal(["<sip:x@y, <sip:z@w>"], Values(m, SipHeaderId.Route));
    }

    [Fact]
    public void No_header_gives_no_values()
    {
        var m = Parse("Call-ID: x");
        Assert.Empty(Values(m, SipHeaderId.Route));
        Assert.True(m.FirstElement(SipHeaderId.Route).IsEmpty);
    }
}
