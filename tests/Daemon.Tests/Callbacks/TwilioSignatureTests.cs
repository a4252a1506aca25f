using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Callbacks;

public sealed class TwilioSignatureTests
{
    public static TheoryData<string, string, string, string> ReferenceVectors()
    {
        var data = new TheoryData<string, string, string, string>();
        foreach (var row in Vectors.Rows("callbacks/twilio-signature.tsv"))
            data.Add(row[0], row[1], row[2], row[3]);
        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void Signatures_match_Twilios_documented_example(string token, string url, string form, string expected)
    {
        var fields = FormEncoding.Decode(form);

        Assert.Equal(expected, TwilioSignature.Compute(token, url, fields));
        Assert.True(TwilioSignature.Verify(token, url, fields, expected));
        Assert.False(TwilioSignature.Verify(token, url + "&x=1", fields, expected));
        Assert.False(TwilioSignature.Verify("54321", url, fields, expected));
    }

    [Fact]
    public void Field_order_does_not_matter_and_repeated_names_sort_by_value()
    {
        KeyValuePair<string, string>[] a = [new("b", "2"), new("a", "9"), new("a", "1")];
        KeyValuePair<string, string>[] b = [new("a", "1"), new("a", "9"), new("b", "2")];

        Assert.Equal(TwilioSignature.Compute("t", "https://h/x", a), TwilioSignature.Compute("t", "https://h/x", b));
    }
}
