using System.Text;
using CsCheck;
using Dialtone.Engine.Sip.Sdp;
using static Dialtone.Engine.Sip.Tests.Sdp.SdpTestData;

namespace Dialtone.Engine.Sip.Tests.Sdp;

public class SdpHostileInputTests
{
    [Theory]
    [InlineData("", SdpError.Empty, 0)]
    [InlineData("\r\n\r\n\n", SdpError.Empty, 0)]
    [InlineData("o=- 1 1 IN IP4 192.0.2.1\r\nv=0\r\n", SdpError.MissingVersion, 1)]
    [InlineData("\r\ns=-\r\n", SdpError.MissingVersion, 2)]
    [InlineData("v=1\r\n", SdpError.UnsupportedVersion, 1)]
    [InlineData("v=00\r\n", SdpError.UnsupportedVersion, 1)]
    [InlineData("v=0\r\nx\r\n", SdpError.MalformedLine, 2)]
    [InlineData("v=0\r\n o=- 1 1 IN IP4 a\r\n", SdpError.MalformedLine, 2)]
    [InlineData("v=0\r\no =- 1 1 IN IP4 a\r\n", SdpError.MalformedLine, 2)]
    [InlineData("v=0\r\n1=x\r\n", SdpError.MalformedLine, 2)]
    [InlineData("v=0\r\n==\r\n", SdpError.MalformedLine, 2)]
    [InlineData("v=0\r\ns=a\0b\r\n", SdpError.IllegalCharacter, 2)]
    [InlineData("v=0\r\ns=a\rb\r\n", SdpError.IllegalCharacter, 2)]
    [InlineData("v=0\rs=-\r", SdpError.IllegalCharacter, 1)]
    [InlineData("v=0\r\ns=-\r\r\n", SdpError.IllegalCharacter, 2)]
    [InlineData("v=0\r\no=- 1 1 IN IP4\r\n", SdpError.MalformedOrigin, 2)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 a b\r\n", SdpError.MalformedOrigin, 2)]
    [InlineData("v=0\r\nc=IN IP4\r\n", SdpError.MalformedConnection, 2)]
    [InlineData("v=0\r\nc=IN IP4 224.2.1.1/ttl\r\n", SdpError.MalformedConnection, 2)]
    [InlineData("v=0\r\nc=IN IP4 224.2.1.1/300\r\n", SdpError.MalformedConnection, 2)]
    [InlineData("v=0\r\nc=IN IP6 FF15::101/3/2\r\n", SdpError.MalformedConnection, 2)]
    [InlineData("v=0\r\nm=audio\r\n", SdpError.MalformedMedia, 2)]
    [InlineData("v=0\r\nm=audio 65536 RTP/AVP 0\r\n", SdpError.MalformedMedia, 2)]
    [InlineData("v=0\r\nm=audio -1 RTP/AVP 0\r\n", SdpError.MalformedMedia, 2)]
    [InlineData("v=0\r\nm=audio 5004/0 RTP/AVP 0\r\n", SdpError.MalformedMedia, 2)]
    [InlineData("v=0\r\nm=audio 99999999999999999999999 RTP/AVP 0\r\n", SdpError.MalformedMedia, 2)]
    public void Refuses_malformed_input_with_the_error_and_its_line(string text, SdpError error, int lineNumber)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);
        Span<SdpLine> index = stackalloc SdpLine[16];

        SdpReadResult result = SdpReader.Read(body, index, out SdpSession session);

        Assert.False(result.Success);
        Assert.Equal(error, result.Error);
        Assert.Equal(lineNumber, result.LineNumber);
        Assert.NotEmpty(result.Reason);
        Assert.Equal(0, session.LineCount);
        Assert.Equal(0, session.MediaCount);
    }

    [Fact]
    public void Ten_thousand_lines_stop_at_the_line_limit()
    {
        var text = new StringBuilder("v=0\r\n");
        for (int i = 0; i < 10_000; i++)
        {
            text.Append("a=x-filler:").Append(i).Append("\r\n");
        }

        byte[] body = Encoding.UTF8.GetBytes(text.ToString());
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];

        SdpReadResult result = SdpReader.Read(body, index, out _);

        Assert.Equal(SdpError.TooManyLines, result.Error);
        Assert.Equal(SdpLimits.DefaultMaxLines + 1, result.LineNumber);
    }

    [Fact]
    public void Ten_thousand_lines_read_in_full_when_the_limits_allow_them()
    {
        var text = new StringBuilder("v=0\r\n");
        for (int i = 0; i < 10_000; i++)
        {
            text.Append("a=x-filler:").Append(i).Append("\r\n");
        }

        byte[] body = Encoding.UTF8.GetBytes(text.ToString());
        var index = new SdpLine[20_000];

        SdpReadResult result = SdpReader.Read(body, index, new SdpLimits { MaxLines = 20_000 }, out SdpSession session);

        Assert.True(result.Success);
        Assert.Equal(10_001, session.LineCount);
        Assert.Equal("x-filler:9999", Text(session.GetLine(10_000).Value));
    }

    [Fact]
    public void The_index_span_caps_the_line_count_below_the_limit()
    {
        byte[] body = SdpFile("carrier-offer.sdp");
        Span<SdpLine> index = stackalloc SdpLine[5];

        SdpReadResult result = SdpReader.Read(body, index, out _);

        Assert.Equal(SdpError.TooManyLines, result.Error);
        Assert.Equal(6, result.LineNumber);
    }

    [Fact]
    public void A_huge_line_is_refused_without_reading_it_as_many()
    {
        byte[] body = Encoding.UTF8.GetBytes("v=0\r\ns=" + new string('x', 1_000_000) + "\r\nt=0 0\r\n");
        Span<SdpLine> index = stackalloc SdpLine[8];

        SdpReadResult result = SdpReader.Read(body, index, out _);

        Assert.Equal(SdpError.LineTooLong, result.Error);
        Assert.Equal(2, result.LineNumber);
    }

    [Fact]
    public void A_huge_line_without_any_line_end_is_refused()
    {
        byte[] body = Encoding.UTF8.GetBytes("v=" + new string('0', 100_000));
        Span<SdpLine> index = stackalloc SdpLine[8];

        Assert.Equal(SdpError.LineTooLong, SdpReader.Read(body, index, out _).Error);
    }

    [Fact]
    public void More_media_sections_than_the_limit_are_refused()
    {
        var text = new StringBuilder("v=0\r\n");
        for (int i = 0; i <= SdpLimits.DefaultMaxMediaSections; i++)
        {
            text.Append("m=audio ").Append(5000 + (2 * i)).Append(" RTP/AVP 0\r\n");
        }

        byte[] body = Encoding.UTF8.GetBytes(text.ToString());
        Span<SdpLine> index = stackalloc SdpLine[64];

        SdpReadResult result = SdpReader.Read(body, index, out _);

        Assert.Equal(SdpError.TooManyMediaSections, result.Error);
        Assert.Equal(SdpLimits.DefaultMaxMediaSections + 2, result.LineNumber);
        Assert.True(SdpReader.Read(body, index, new SdpLimits { MaxMediaSections = 32 }, out SdpSession session).Success);
        Assert.Equal(SdpLimits.DefaultMaxMediaSections + 1, session.MediaCount);
    }

    [Fact]
    public void Limits_that_make_no_sense_are_refused_when_set()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpLimits { MaxLines = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpLimits { MaxMediaSections = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdpLimits { MaxLineLength = -5 });
        Assert.Equal(2, new SdpLimits { MaxLineLength = 1 }.MaxLineLength);
    }

    [Fact]
    public void An_empty_index_refuses_the_first_line()
    {
        byte[] body = SdpFile("carrier-offer.sdp");

        SdpReadResult result = SdpReader.Read(body, Span<SdpLine>.Empty, out _);

        Assert.Equal(SdpError.TooManyLines, result.Error);
        Assert.Equal(1, result.LineNumber);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 600].Sample(bytes => ReadAndTouchEverything(bytes), iter: 20_000);
    }

    [Fact]
    public void Random_lines_of_SDP_shape_never_throw()
    {
        Gen<string> line = Gen.Select(
            Gen.Char["vosctmabiuekzr x"],
            Gen.Char["= "],
            Gen.Char["0123456789 /:.-aAPIN\t\r\n\0\u00ff"].Array[0, 40].Select(chars => new string(chars)),
            (type, separator, value) => $"{type}{separator}{value}");
        Gen.Select(line.Array[0, 30], Gen.Bool)
            .Select((lines, lf) => Encoding.UTF8.GetBytes("v=0" + (lf ? "\n" : "\r\n") + string.Join(lf ? "\n" : "\r\n", lines)))
            .Sample(bytes => ReadAndTouchEverything(bytes), iter: 20_000);
    }

    [Fact]
    public void Mutations_of_a_valid_description_never_throw()
    {
        byte[] original = SdpFile("session-level-direction.sdp");
        Gen.Select(Gen.Int[0, original.Length - 1].Array[1, 8], Gen.Byte.Array[8], Gen.Int[0, 2])
            .Sample(
                (positions, values, kind) =>
                {
                    var mutated = new List<byte>(original);
                    for (int i = 0; i < positions.Length; i++)
                    {
                        int at = Math.Min(positions[i], mutated.Count - 1);
                        switch (kind)
                        {
                            case 0:
                                mutated[at] = values[i];
                                break;
                            case 1:
                                mutated.Insert(at, values[i]);
                                break;
                            default:
                                mutated.RemoveAt(at);
                                break;
                        }
                    }

                    ReadAndTouchEverything([.. mutated]);
                },
                iter: 20_000);
    }

    /// <summary>Reads, and when the read succeeds, calls every typed accessor on every part.</summary>
    private static void ReadAndTouchEverything(byte[] body)
    {
        Span<SdpLine> index = stackalloc SdpLine[SdpLimits.DefaultMaxLines];
        SdpReadResult result = SdpReader.Read(body, index, out SdpSession session);
        Assert.NotNull(result.Reason);
        if (!result.Success)
        {
            Assert.InRange(result.LineNumber, 0, body.Length + 1);
            return;
        }

        foreach (SdpLineView line in session.Lines)
        {
            Assert.True(char.IsAsciiLetter(line.TypeChar));
        }

        session.TryGetOrigin(out SdpOrigin origin);
        origin.TryGetSessionId(out _);
        origin.TryGetSessionVersion(out _);
        session.TryGetSessionName(out _);
        session.TryGetTiming(out _, out _);
        _ = session.Direction;
        if (session.TryGetConnection(out SdpConnection connection))
        {
            _ = connection.IsUnspecified;
            connection.TryParseAddress(out _);
        }

        foreach (SdpAttribute attribute in session.Attributes)
        {
            _ = attribute.Name.Length + attribute.Value.Length;
        }

        int count = 0;
        foreach (SdpMedia media in session.Media)
        {
            count++;
            Assert.InRange(media.Port, 0, 65535);
            _ = media.Direction;
            media.TryGetEffectiveConnection(out _);
            media.TryGetPtime(out _);
            media.TryGetMaxPtime(out _);
            media.TryGetRtcp(out _);
            media.TryFindPayloadType("telephone-event"u8, 8000, out _);
            foreach (int payloadType in media.PayloadTypes)
            {
                Assert.InRange(payloadType, 0, 127);
                media.TryGetRtpMap(payloadType, out _);
                media.TryGetFmtp(payloadType, out _);
            }

            foreach (SdpAttribute attribute in media.Attributes)
            {
                _ = attribute.HasValue;
            }
        }

        Assert.Equal(session.MediaCount, count);
    }
}
