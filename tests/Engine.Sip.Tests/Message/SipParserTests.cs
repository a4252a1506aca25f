using System.Diagnostics;
using System.Text;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Message;

public class SipParserTests
{
    private static SipMessage Parse(byte[] bytes, SipFraming framing = SipFraming.Datagram)
    {
        var message = new SipMessage();
        SipParseResult result = message.Parse(bytes, framing);
        Assert.True(result.IsSuccess, result.ToString());
        return message;
    }

    private static SipParseResult Fail(byte[] bytes, SipFraming framing = SipFraming.Datagram, int maxHeaders = 64)
    {
        var message = new SipMessage(maxHeaders);
        SipParseResult result = message.Parse(bytes, framing);
        Assert.False(result.IsSuccess, "expected a parse error");
        Assert.False(message.IsParsed);
        return result;
    }

    private static string Text(ReadOnlySpan<byte> span) => Encoding.UTF8.GetString(span);

    [Fact]
    public void Parses_rfc3261_invite_request_line_headers_and_body()
    {
        var m = Parse(TestFiles.Message("rfc3261-invite.sip"));
        Assert.True(m.IsRequest);
        Assert.Equal(SipMethod.Invite, m.Method);
        Assert.Equal("INVITE", Text(m.MethodName));
        Assert.Equal("sip:bob@biloxi.example.com", Text(m.RequestUri));
        Assert.Equal("SIP/2.0", Text(m.Version));
        Assert.True(m.IsSip20);
        Assert.Equal(9, m.HeaderCount);
        Assert.Equal("70", Text(m.GetValue(SipHeaderId.MaxForwards)));
        Assert.Equal("3848276298220188511@atlanta.example.com", Text(m.CallId));
        Assert.Equal(m.ContentLength, m.Body.Length);
        Assert.StartsWith("v=0\r\n", Text(m.Body));
        Assert.Equal(m.Length, m.Span.Length);
    }

    [Fact]
    public void Parses_status_line_code_and_reason()
    {
        var m = Parse(TestFiles.Message("rfc3261-486-busy.sip"));
        Assert.True(m.IsResponse);
        Assert.False(m.IsRequest);
        Assert.Equal(486, m.StatusCode);
        Assert.Equal("Busy Here", Text(m.ReasonPhrase));
        Assert.Equal(SipMethod.Extension, m.Method);
    }

    [Fact]
    public void Parses_status_line_with_empty_reason()
    {
        var m = Parse(TestFiles.Crlf("SIP/2.0 100 ", "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1", "Content-Length: 0", "", ""));
        Assert.Equal(100, m.StatusCode);
        Assert.True(m.ReasonPhrase.IsEmpty);
    }

    [Theory]
    [InlineData("SIP/2.0 1000 Too long")]
    [InlineData("SIP/2.0 99 Too short")]
    [InlineData("SIP/2.0 099 Below range")]
    [InlineData("SIP/2.0 700 Above range")]
    [InlineData("SIP/2.0 2x0 Not digits")]
    [InlineData("SIP/2.0")]
    [InlineData("SIP/2.0 4294967301 better not break the receiver")]
    public void Rejects_malformed_status_codes(string statusLine)
    {
        var r = Fail(TestFiles.Crlf(statusLine, "Content-Length: 0", "", ""));
        Assert.Equal(SipParseError.InvalidStatusCode, r.Error);
    }

    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0", "INVITE", "sip:a@b", "SIP/2.0")]
    [InlineData("INVITE  sip:a@b   SIP/2.0", "INVITE", "sip:a@b", "SIP/2.0")]
    [InlineData("OPTIONS sip:a@b SIP/2.0  ", "OPTIONS", "sip:a@b", "SIP/2.0")]
    [InlineData("NEWMETHOD sip:a@b sip/2.0", "NEWMETHOD", "sip:a@b", "sip/2.0")]
    [InlineData("OPTIONS sip:a@b SIP/7.0", "OPTIONS", "sip:a@b", "SIP/7.0")]
    public void Parses_request_lines_liberally_about_spaces(string line, string method, string uri, string version)
    {
        var m = Parse(TestFiles.Crlf(line, "Content-Length: 0", "", ""));
        Assert.Equal(method, Text(m.MethodName));
        Assert.Equal(uri, Text(m.RequestUri));
        Assert.Equal(version, Text(m.Version));
    }

    [Theory]
    [InlineData("INVITE sip:a@b; lr SIP/2.0", SipParseError.InvalidVersion)]
    [InlineData("INVITE sip:a@b", SipParseError.InvalidRequestUri)]
    [InlineData("INVITE sip:a@b HTTP/1.1", SipParseError.InvalidVersion)]
    [InlineData("INVITE sip:a@b SIP/2", SipParseError.InvalidVersion)]
    [InlineData(" INVITE sip:a@b SIP/2.0", SipParseError.InvalidMethod)]
    [InlineData("INV(ITE sip:a@b SIP/2.0", SipParseError.InvalidMethod)]
    [InlineData("INVITE", SipParseError.InvalidStartLine)]
    [InlineData("INVITE  ", SipParseError.InvalidRequestUri)]
    public void Rejects_malformed_request_lines(string line, SipParseError error)
    {
        Assert.Equal(error, Fail(TestFiles.Crlf(line, "Content-Length: 0", "", "")).Error);
    }

    [Fact]
    public void Method_names_are_case_sensitive()
    {
        var m = Parse(TestFiles.Crlf("invite sip:a@b SIP/2.0", "Content-Length: 0", "", ""));
        Assert.Equal(SipMethod.Extension, m.Method);
        Assert.Equal("invite", Text(m.MethodName));
    }

    [Theory]
    [InlineData("v", SipHeaderId.Via)]
    [InlineData("f", SipHeaderId.From)]
    [InlineData("T", SipHeaderId.To)]
    [InlineData("i", SipHeaderId.CallId)]
    [InlineData("m", SipHeaderId.Contact)]
    [InlineData("l", SipHeaderId.ContentLength)]
    [InlineData("c", SipHeaderId.ContentType)]
    [InlineData("e", SipHeaderId.ContentEncoding)]
    [InlineData("k", SipHeaderId.Supported)]
    [InlineData("s", SipHeaderId.Subject)]
    [InlineData("o", SipHeaderId.Event)]
    [InlineData("u", SipHeaderId.AllowEvents)]
    [InlineData("r", SipHeaderId.ReferTo)]
    [InlineData("b", SipHeaderId.ReferredBy)]
    [InlineData("x", SipHeaderId.SessionExpires)]
    [InlineData("a", SipHeaderId.AcceptContact)]
    [InlineData("j", SipHeaderId.RejectContact)]
    [InlineData("d", SipHeaderId.RequestDisposition)]
    [InlineData("y", SipHeaderId.Identity)]
    [InlineData("z", SipHeaderId.Other)]
    [InlineData("call-id", SipHeaderId.CallId)]
    [InlineData("CALL-ID", SipHeaderId.CallId)]
    [InlineData("cSeQ", SipHeaderId.CSeq)]
    [InlineData("max-forwards", SipHeaderId.MaxForwards)]
    [InlineData("WWW-Authenticate", SipHeaderId.WwwAuthenticate)]
    [InlineData("proxy-authorization", SipHeaderId.ProxyAuthorization)]
    [InlineData("P-Asserted-Identity", SipHeaderId.PAssertedIdentity)]
    [InlineData("Min-SE", SipHeaderId.MinSE)]
    [InlineData("RAck", SipHeaderId.RAck)]
    [InlineData("X-Custom", SipHeaderId.Other)]
    [InlineData("Vias", SipHeaderId.Other)]
    public void Maps_full_and_compact_names_case_insensitively(string name, SipHeaderId id)
    {
        Assert.Equal(id, SipHeaderNames.Lookup(Encoding.ASCII.GetBytes(name)));
    }

    [Fact]
    public void Canonical_names_round_trip_through_lookup()
    {
        foreach (SipHeaderId id in Enum.GetValues<SipHeaderId>())
        {
            if (id == SipHeaderId.Other)
                continue;
            ReadOnlySpan<byte> name = SipHeaderNames.GetName(id);
            Assert.False(name.IsEmpty, id.ToString());
            Assert.Equal(id, SipHeaderNames.Lookup(name));
        }
    }

    [Fact]
    public void Indexes_repeated_headers_in_order_with_counts()
    {
        var m = Parse(TestFiles.Message("invite-with-route.sip"));
        Assert.Equal(2, m.Count(SipHeaderId.Via));
        Assert.Equal(2, m.Count(SipHeaderId.Route));
        Assert.Equal(1, m.Count(SipHeaderId.RecordRoute));
        Assert.Equal(0, m.Count(SipHeaderId.Expires));
        Assert.False(m.Contains(SipHeaderId.Expires));
        var values = new List<string>();
        foreach (SipHeader h in m.GetHeaders(SipHeaderId.Route))
            values.Add(Text(m.GetValue(h)));
        Assert.Equal(["<sip:p1.example.com;lr>, <sip:p2.example.com;lr>", "<sip:p3.example.com;lr>"], values);
    }

    [Fact]
    public void Finds_unknown_headers_by_name_case_insensitively()
    {
        var m = Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "X-Thing: one", "x-thing: two", "X-Other: three", "Content-Length: 0", "", ""));
        Assert.True(m.TryGetHeader("X-THING"u8, out SipHeader h));
        Assert.Equal("one", Text(m.GetValue(h)));
        Assert.Equal("three", Text(m.GetValue("x-other"u8)));
        Assert.Equal(3, m.Count(SipHeaderId.Other));
        var all = new List<string>();
        foreach (ReadOnlySpan<byte> v in m.GetValues("X-Thing"u8))
            all.Add(Text(v));
        Assert.Equal(["one", "two"], all);
        Assert.False(m.TryGetHeader("X-Missing"u8, out _));
        Assert.Equal("0", Text(m.GetValue("l"u8)));
    }

    [Fact]
    public void Keeps_folded_lines_in_the_value_and_trims_around_it()
    {
        var m = Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Subject:   first", " second\t", "\t third  ", "Content-Length: 0", "", ""));
        Assert.Equal("first\r\n second\t\r\n\t third", Text(m.GetValue(SipHeaderId.Subject)));
        Assert.Equal(2, m.HeaderCount);
    }

    [Fact]
    public void Accepts_whitespace_before_the_colon_and_empty_values()
    {
        var m = Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Subject  \t:", "To :  <sip:a@b>", "Content-Length: 0", "", ""));
        Assert.True(m.TryGetHeader(SipHeaderId.Subject, out SipHeader s));
        Assert.Equal(0, s.ValueLength);
        Assert.Equal("<sip:a@b>", Text(m.GetValue(SipHeaderId.To)));
        Assert.Equal("To", Text(m.GetName(m.Headers[1])));
    }

    [Fact]
    public void Datagram_without_content_length_takes_the_rest_as_body()
    {
        var m = Parse(TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "Content-Type: text/plain", "", "hello"));
        Assert.Equal(-1, m.ContentLength);
        Assert.Equal("hello", Text(m.Body));
    }

    [Fact]
    public void Datagram_ignores_bytes_past_content_length()
    {
        var m = Parse(TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "Content-Length: 3", "", "abcdef"));
        Assert.Equal("abc", Text(m.Body));
        Assert.Equal(m.Span.Length - 3, m.Length);
    }

    [Fact]
    public void Content_length_larger_than_the_datagram_is_an_error()
    {
        var r = Fail(TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "Content-Length: 7", "", "abcdef"));
        Assert.Equal(SipParseError.ContentLengthExceedsData, r.Error);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    [InlineData("1 2")]
    [InlineData("")]
    public void Invalid_content_length_is_an_error(string value)
    {
        var r = Fail(TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "Content-Length: " + value, "", ""));
        Assert.Equal(SipParseError.InvalidContentLength, r.Error);
    }

    [Fact]
    public void Repeated_equal_content_lengths_are_accepted_and_different_ones_rejected()
    {
        Assert.Equal(2, Parse(TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "Content-Length: 2", "l: 2", "", "ab")).Body.Length);
        Assert.Equal(SipParseError.ConflictingContentLength,
            Fail(TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "Content-Length: 2", "l: 3", "", "abc")).Error);
    }

    [Fact]
    public void Stream_framing_requires_content_length()
    {
        var r = Fail(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Via: SIP/2.0/TCP h;branch=z9hG4bK1", "", ""), SipFraming.Stream);
        Assert.Equal(SipParseError.MissingContentLength, r.Error);
        Assert.True(Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "l: 0", "", ""), SipFraming.Stream).IsParsed);
    }

    [Fact]
    public void Datagram_whose_headers_end_at_the_end_of_data_has_no_body()
    {
        var m = Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Call-ID: x", ""));
        Assert.Equal(1, m.HeaderCount);
        Assert.True(m.Body.IsEmpty);
        Assert.Equal(SipParseError.UnterminatedHeaders,
            Fail(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Call-ID: x", ""), SipFraming.Stream).Error);
    }

    [Theory]
    [InlineData("")]
    public void Empty_input_is_an_error(string text)
    {
        Assert.Equal(SipParseError.Empty, Fail(Encoding.ASCII.GetBytes(text)).Error);
    }

    [Theory]
    [InlineData("OPTIONS sip:a@b SIP/2.0")]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r")]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x")]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\r")]
    public void Truncated_messages_are_unterminated(string text)
    {
        Assert.Equal(SipParseError.UnterminatedHeaders, Fail(Encoding.ASCII.GetBytes(text)).Error);
    }

    [Theory]
    [InlineData("OPTIONS sip:a@b SIP/2.0\nCall-ID: x\r\n\r\n", 23)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\n\r\n", 35)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\rX: y\r\n\r\n", 35)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\r\n\rX\r\n", 37)]
    public void Bare_cr_or_lf_is_rejected_with_its_offset(string text, int offset)
    {
        var r = Fail(Encoding.ASCII.GetBytes(text));
        Assert.Equal(SipParseError.InvalidLineEnding, r.Error);
        Assert.Equal(offset, r.Offset);
    }

    [Theory]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nCall-ID: x\0y\r\n\r\n", 35)]
    [InlineData("OPTIONS sip:a@\0b SIP/2.0\r\n\r\n", 14)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nSubject: \u0007\r\n\r\n", 34)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nX\u001b: y\r\n\r\n", 26)]
    public void Control_bytes_are_rejected_with_their_offset(string text, int offset)
    {
        var r = Fail(Encoding.ASCII.GetBytes(text));
        Assert.Equal(SipParseError.InvalidCharacter, r.Error);
        Assert.Equal(offset, r.Offset);
    }

    [Fact]
    public void Control_bytes_escaped_as_quoted_pairs_are_accepted()
    {
        var m = Parse(Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nTo: \"NUL:\\\0 BEL:\\\u0007\" <sip:a@b>\r\n\r\n"));
        Assert.Equal("\"NUL:\\\0 BEL:\\\u0007\" <sip:a@b>", Text(m.GetValue(SipHeaderId.To)));
    }

    [Fact]
    public void Nul_bytes_in_the_body_are_fine()
    {
        byte[] bytes = [.. TestFiles.Crlf("MESSAGE sip:a@b SIP/2.0", "Content-Length: 3", "", ""), 0, 1, 0xFF];
        Assert.Equal(new byte[] { 0, 1, 0xFF }, Parse(bytes).Body.ToArray());
    }

    [Fact]
    public void Invalid_utf8_in_headers_is_rejected_with_its_offset()
    {
        byte[] bytes = [.. TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "Subject: caf"), 0xC3, 0x28, .. TestFiles.Crlf("", "", "")];
        var r = Fail(bytes);
        Assert.Equal(SipParseError.InvalidUtf8, r.Error);
        Assert.Equal(37, r.Offset);
    }

    [Fact]
    public void Valid_utf8_in_reason_and_values_is_accepted()
    {
        var m = Parse(Encoding.UTF8.GetBytes("SIP/2.0 200 = 2**3 * 5**2 но сто девяносто девять\r\nSubject: café ☕\r\n\r\n"));
        Assert.Equal("= 2**3 * 5**2 но сто девяносто девять", Text(m.ReasonPhrase));
        Assert.Equal("café ☕", Text(m.GetValue(SipHeaderId.Subject)));
    }

    [Theory]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nNo colon here\r\n\r\n", SipParseError.MissingColon)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\n: empty name\r\n\r\n", SipParseError.InvalidHeaderName)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nBad Name: x\r\n\r\n", SipParseError.InvalidHeaderName)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\nBad(Name): x\r\n\r\n", SipParseError.InvalidHeaderName)]
    [InlineData("OPTIONS sip:a@b SIP/2.0\r\n continued: x\r\n\r\n", SipParseError.UnexpectedContinuation)]
    public void Rejects_malformed_header_lines(string text, SipParseError error)
    {
        Assert.Equal(error, Fail(Encoding.ASCII.GetBytes(text)).Error);
    }

    [Fact]
    public void More_headers_than_the_cap_is_a_clean_rejection()
    {
        var lines = new List<string> { "OPTIONS sip:a@b SIP/2.0" };
        for (int i = 0; i < 65; i++)
            lines.Add($"X-H{i}: {i}");
        lines.AddRange(["", ""]);
        byte[] bytes = TestFiles.Crlf([.. lines]);
        Assert.Equal(SipParseError.TooManyHeaders, Fail(bytes).Error);
        var roomy = new SipMessage(maxHeaders: 100);
        Assert.True(roomy.Parse(bytes).IsSuccess);
        Assert.Equal(65, roomy.HeaderCount);
    }

    [Fact]
    public void Hundred_thousand_headers_are_rejected_quickly()
    {
        var sb = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\n");
        for (int i = 0; i < 100_000; i++)
            sb.Append("X: y\r\n");
        sb.Append("\r\n");
        byte[] bytes = Encoding.ASCII.GetBytes(sb.ToString());
        var sw = Stopwatch.StartNew();
        Assert.Equal(SipParseError.TooManyHeaders, Fail(bytes, maxHeaders: 4096).Error);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), "bounded time");
    }

    [Fact]
    public void Endless_folding_and_long_runs_of_spaces_parse_in_linear_time()
    {
        var sb = new StringBuilder("OPTIONS sip:a@b SIP/2.0\r\nSubject: a");
        for (int i = 0; i < 200_000; i++)
            sb.Append("\r\n b");
        sb.Append("\r\nX-Spaces: ").Append(' ', 8192).Append("z").Append(' ', 8192).Append("\r\n\r\n");
        var m = Parse(Encoding.ASCII.GetBytes(sb.ToString()));
        Assert.Equal(2, m.HeaderCount);
        Assert.Equal("z", Text(m.GetValue("X-Spaces"u8)));
    }

    [Fact]
    public void A_line_of_8k_spaces_before_the_colon_is_a_header_name_error()
    {
        byte[] bytes = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\n" + new string(' ', 8192) + "\r\n\r\n");
        Assert.Equal(SipParseError.UnexpectedContinuation, Fail(bytes).Error);
        bytes = Encoding.ASCII.GetBytes(new string(' ', 8192) + "\r\n\r\n");
        Assert.Equal(SipParseError.InvalidMethod, Fail(bytes).Error);
    }

    [Fact]
    public void Reuse_replaces_every_field_of_the_previous_message()
    {
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Message("invite-with-route.sip")).IsSuccess);
        Assert.True(m.Parse(TestFiles.Message("rfc3261-486-busy.sip")).IsSuccess);
        Assert.True(m.IsResponse);
        Assert.Equal(0, m.Count(SipHeaderId.Route));
        Assert.Equal(1, m.Count(SipHeaderId.Via));
        Assert.True(m.MethodName.IsEmpty);
        Assert.Equal(0, m.ContentLength);
        Assert.False(m.Parse(TestFiles.Crlf("garbage")).IsSuccess);
        Assert.Equal(0, m.HeaderCount);
        Assert.False(m.TryGetHeader(SipHeaderId.Via, out _));
        foreach (SipHeader _ in m.GetHeaders(SipHeaderId.Via))
            Assert.Fail("no headers after a failed parse");
    }

    [Fact]
    public void Parse_result_describes_the_error()
    {
        var r = Fail(Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nNo colon\r\n\r\n"));
        Assert.Equal("header line without a colon at offset 25", r.ToString());
        Assert.Equal("ok", SipParseResult.Success.ToString());
        foreach (SipParseError e in Enum.GetValues<SipParseError>())
            Assert.NotEqual("unknown error", SipParseResult.Describe(e));
    }

    [Fact]
    public void Header_cap_must_be_sensible()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipMessage(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipMessage(100_000));
    }
}
