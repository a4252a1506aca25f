using Dialtone.Daemon.Callbacks;

namespace Dialtone.Daemon.Tests.Callbacks;

public sealed class FormEncodingTests
{
    public static TheoryData<string> Values() =>
    [
        "",
        "plain",
        "+1 (555) 010-0100 & friends=yes?",
        "caf\u00e9 \u20ac5",          // 2- and 3-byte UTF-8
        "\U0001F4DE call",             // a surrogate pair: 4 bytes for 2 characters
        new string('\u20ac', 500),    // the worst case for the buffer: 9 characters per character
        "lone \ud800 surrogate",
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void A_field_is_percent_encoded_as_RFC_3986_unreserved_and_decodes_back(string value)
    {
        KeyValuePair<string, string>[] fields = [new("CallSid", "CA01"), new("To\u00e9", value), new("Empty", "")];

        var body = FormEncoding.Encode(fields);

        var expected = string.Join("&", fields.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));
        Assert.Equal(expected, body);
        var decoded = FormEncoding.Decode(body);
        Assert.Equal(["CallSid", "To\u00e9", "Empty"], decoded.Select(f => f.Key));
        if (!value.Contains('\ud800'))
            Assert.Equal(value, decoded[1].Value);
    }

    [Fact]
    public void No_fields_encode_to_an_empty_body() =>
        Assert.Equal("", FormEncoding.Encode([]));
}
