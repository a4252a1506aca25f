using System.Text;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Headers;

/// <summary>
/// SipMessage.TryGetTopVia parses the first via-parm straight from the whole header value and stops
/// at the comma after it; it must give exactly what SipVia.TryParse gives over the first element.
/// </summary>
public class SipTopViaTests
{
    public static TheoryData<string, string> ViaLists()
    {
        var data = new TheoryData<string, string>();
        foreach (string line in File.ReadAllLines(TestFiles.PathOf("Headers", "vectors", "via-lists.tsv")))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            string[] fields = line.Split('\t');
            data.Add(fields[0], fields[1]);
        }
        return data;
    }

    private static string T(ReadOnlySpan<byte> s) => Convert.ToHexString(s);

    private static string Describe(in SipVia v) =>
        string.Join("|", T(v.ProtocolName), T(v.ProtocolVersion), T(v.Transport), T(v.Host), v.Port, T(v.Branch), T(v.Received),
            v.HasRPort, v.RPort, T(v.MAddr), v.Ttl, T(v.Parameters.Raw), v.Parameters.Count);

    [Theory]
    [MemberData(nameof(ViaLists))]
    public void Top_via_is_the_first_element_parsed_alone(string verdict, string value)
    {
        var message = new SipMessage();
        Assert.True(message.Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Via: " + value, "Content-Length: 0", "", "")).IsSuccess);
        ReadOnlySpan<byte> first = message.FirstElement(SipHeaderId.Via);
        bool expected = SipVia.TryParse(first, out SipVia alone) && !first.IsEmpty;

        bool actual = message.TryGetTopVia(out SipVia top);

        Assert.Equal(verdict == "parse", actual);
        Assert.Equal(expected, actual);
        if (actual)
            Assert.Equal(Describe(alone), Describe(top));
    }

    [Fact]
    public void Top_via_reads_only_the_first_via_line()
    {
        var message = new SipMessage();
        Assert.True(message.Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Via: SIP/2.0/UDP first.example.com;branch=z9hG4bK1",
            "v: SIP/2.0/TCP second.example.com;branch=z9hG4bK2", "Content-Length: 0", "", "")).IsSuccess);
        Assert.True(message.TryGetTopVia(out SipVia top));
        Assert.Equal("first.example.com", Encoding.ASCII.GetString(top.Host));
    }

    [Fact]
    public void A_message_without_via_has_no_top_via()
    {
        var message = new SipMessage();
        Assert.True(message.Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Content-Length: 0", "", "")).IsSuccess);
        Assert.False(message.TryGetTopVia(out SipVia top));
        Assert.True(top.Host.IsEmpty);
        Assert.True(top.Branch.IsEmpty);
    }
}
