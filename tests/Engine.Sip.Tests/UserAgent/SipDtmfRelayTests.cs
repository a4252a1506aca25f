using System.Text;
using Dialtone.Engine.Sip.Tests.Transactions;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

public sealed class SipDtmfRelayTests
{
    public static TheoryData<string, string> Bodies()
    {
        var data = new TheoryData<string, string>();
        string text = SipTemplates.Text("UserAgent", "dtmf-bodies.txt").Replace("\r\n", "\n");
        foreach (string block in text.Split("\n----\n"))
        {
            var lines = block.Split('\n').Where(l => !l.StartsWith('#')).ToList();
            int at = lines.FindIndex(l => l.StartsWith("expect: ", StringComparison.Ordinal));
            data.Add(lines[at]["expect: ".Length..], string.Join("\r\n", lines.Skip(at + 1)));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Reads_the_digit_and_duration_of_dtmf_relay_and_dtmf_bodies(string expect, string body)
    {
        bool found = SipDtmfRelay.TryParse(Encoding.ASCII.GetBytes(body), out char digit, out int duration);
        if (expect == "none")
        {
            Assert.False(found);
            return;
        }
        Assert.True(found);
        Assert.Equal(expect, $"{digit} {duration}");
    }

    [Theory]
    [InlineData('0', 100, "Signal=0\r\nDuration=100\r\n")]
    [InlineData('#', 160, "Signal=#\r\nDuration=160\r\n")]
    [InlineData('b', 40, "Signal=B\r\nDuration=40\r\n")]
    public void Writes_a_dtmf_relay_body(char digit, int duration, string expected)
    {
        Span<byte> body = stackalloc byte[64];
        int n = SipDtmfRelay.Format(digit, duration, body);
        Assert.Equal(expected, Encoding.ASCII.GetString(body[..n]));
    }

    [Fact]
    public void Refuses_what_is_not_a_dtmf_digit()
    {
        var body = new byte[64];
        Assert.Throws<ArgumentOutOfRangeException>(() => SipDtmfRelay.Format('x', 100, body));
        Assert.Throws<ArgumentOutOfRangeException>(() => SipDtmfRelay.Format('5', -1, body));
    }
}
