using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests;

/// <summary>
/// Every RFC 4475 and RFC 5118 torture message in vectors/ against the verdict in
/// vectors/manifest.tsv. All are treated as UDP datagrams, as the RFCs assume.
/// </summary>
/// <remarks>
/// Liberal choices we take where the RFCs allow them (the manifest's notes say the same):
/// extra SP between Request-Line elements and after the version is ignored (§3.1.2.9, §3.1.2.10);
/// spaces inside a name-addr's angle brackets are ignored (§3.1.2.14); a bare magic-cookie branch
/// is accepted (§3.2.1); "[2001:db8:::192.0.2.1]" is read as "::" (RFC 5118 §4.10); a bracketed
/// Via received= is accepted (RFC 5118 §4.5); a datagram whose last header line ends the datagram
/// is taken as having no body (the §3.1.2.15 archive bytes lack the empty line); a missing
/// Max-Forwards is tolerated for RFC 2543 peers (§3.4.1). Strict choices: an unterminated quote,
/// '&lt;' around the Request-URI and headers in the Request-URI get 400 (§3.1.2.6, .7, .11).
/// <para>"drop" applies to responses, which cannot be answered: a drop verdict holds when the parse
/// fails or when <see cref="SipMessageValidator.ValidateResponse"/> discards the response (RFC 3261
/// §8.1.3.3: a response with more than one Via is discarded, RFC 4475 §3.3.10).</para>
/// </remarks>
public class VectorTests
{
    public static TheoryData<string, string, string> Rows()
    {
        var data = new TheoryData<string, string, string>();
        foreach (string line in File.ReadLines(TestFiles.PathOf("vectors", "manifest.tsv")).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            string[] columns = line.Split('\t');
            data.Add(columns[0], columns[2], columns[3]);
        }
        return data;
    }

    /// <summary>
    /// The UAS configuration the manifest's statuses assume: a user agent that accepts SDP and
    /// multipart/mixed bodies (an IM-capable endpoint, RFC 4475 §3.1.1.11), answers with SDP, and
    /// supports no extra option tags beyond the common ones.
    /// </summary>
    private static readonly SipMessageValidator s_validator = new(new SipValidatorOptions
    {
        SupportedOptionTags = ["100rel", "timer", "replaces"],
        AcceptedContentTypes = ["application/sdp", "multipart/mixed"],
        ResponseContentTypes = ["application/sdp"],
    });

    [Fact]
    public void Manifest_lists_every_vector_file()
    {
        var listed = Rows().Select(r => (string)r[0]).ToHashSet();
        var files = Directory.GetFiles(TestFiles.PathOf("vectors"), "*.sip", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TestFiles.PathOf("vectors"), f).Replace('\\', '/'));
        Assert.DoesNotContain(files, f => !listed.Contains(f));
        Assert.True(listed.Count >= 61, $"only {listed.Count} rows");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Vector_gets_the_manifest_verdict(string file, string verdict, string status)
    {
        byte[] bytes = TestFiles.Read("vectors", file);
        var message = new SipMessage();
        SipParseResult parse = message.Parse(bytes, SipFraming.Datagram);
        int expected = status == "-" ? 0 : int.Parse(status);

        switch (verdict)
        {
            case "parse":
                Assert.True(parse.IsSuccess, $"{file}: {parse}");
                SipValidationResult outcome = Validate(message);
                Assert.Equal(expected, outcome.StatusCode);
                Assert.False(outcome.Drop, $"{file}: {outcome}");
                break;
            case "reject":
                if (parse.IsSuccess)
                {
                    Assert.True(message.IsRequest, $"{file}: a rejected message must be a request");
                    Assert.Equal(expected, Validate(message).StatusCode);
                }
                break;
            case "drop":
                if (parse.IsSuccess)
                {
                    Assert.True(message.IsResponse, $"{file}: only responses are dropped after a successful parse");
                    Assert.True(s_validator.ValidateResponse(message).Drop, $"{file}: response should be discarded");
                }
                break;
            default:
                Assert.Fail($"unknown verdict {verdict}");
                break;
        }
    }

    private static SipValidationResult Validate(SipMessage message) =>
        message.IsRequest ? s_validator.ValidateRequest(message) : s_validator.ValidateResponse(message);
}
