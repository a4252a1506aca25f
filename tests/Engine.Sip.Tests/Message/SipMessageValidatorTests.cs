using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Message;

public class SipMessageValidatorTests
{
    private static readonly string[] s_base =
    [
        "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877",
        "Max-Forwards: 70",
        "To: <sip:carol@chicago.example.com>",
        "From: \"Alice\" <sip:alice@atlanta.example.com>;tag=1928301774",
        "Call-ID: a84b4c76e66710",
    ];

    private static SipMessage Request(string startLine, string cseq, params string[] extra)
    {
        var lines = new List<string> { startLine };
        lines.AddRange(s_base);
        lines.Add("CSeq: " + cseq);
        lines.AddRange(extra);
        lines.AddRange(["", ""]);
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Crlf([.. lines])).IsSuccess);
        return m;
    }

    private static SipMessage Without(string headerPrefix)
    {
        var lines = new List<string> { "OPTIONS sip:carol@chicago.example.com SIP/2.0" };
        lines.AddRange(s_base.Where(l => !l.StartsWith(headerPrefix, StringComparison.Ordinal)));
        if (headerPrefix != "CSeq")
            lines.Add("CSeq: 1 OPTIONS");
        lines.AddRange(["", ""]);
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Crlf([.. lines])).IsSuccess);
        return m;
    }

    private static int Status(SipMessage m, SipValidatorOptions? options = null) =>
        new SipMessageValidator(options).ValidateRequest(m).StatusCode;

    [Fact]
    public void A_well_formed_request_is_accepted()
    {
        var r = new SipMessageValidator().ValidateRequest(Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", "1 OPTIONS"));
        Assert.True(r.IsAcceptable);
        Assert.Equal("ok", r.ToString());
    }

    [Fact]
    public void The_rfc3261_invite_and_bench_messages_are_accepted()
    {
        var validator = new SipMessageValidator(new SipValidatorOptions { SupportedOptionTags = ["timer", "replaces", "100rel"] });
        foreach (byte[] bytes in new[] { TestFiles.Message("rfc3261-invite.sip"), TestFiles.Bench("invite.sip"), TestFiles.Bench("options.sip"), TestFiles.Message("invite-with-route.sip") })
        {
            var m = new SipMessage();
            Assert.True(m.Parse(bytes).IsSuccess);
            Assert.Equal(0, validator.ValidateRequest(m).StatusCode);
        }
    }

    [Theory]
    [InlineData("Via")]
    [InlineData("To")]
    [InlineData("From")]
    [InlineData("Call-ID")]
    [InlineData("CSeq")]
    public void Missing_mandatory_header_is_400(string header)
    {
        var r = new SipMessageValidator().ValidateRequest(Without(header));
        Assert.Equal(400, r.StatusCode);
        Assert.StartsWith("missing", r.Reason);
    }

    [Fact]
    public void Missing_max_forwards_is_tolerated_for_rfc2543_peers()
    {
        Assert.Equal(0, Status(Without("Max-Forwards")));
    }

    [Theory]
    [InlineData("To: <sip:other@example.com>")]
    [InlineData("f: <sip:other@example.com>;tag=2")]
    [InlineData("i: other-call-id")]
    [InlineData("CSeq: 2 OPTIONS")]
    [InlineData("Max-Forwards: 69")]
    public void Repeated_single_header_is_400(string extra)
    {
        Assert.Equal(400, Status(Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", "1 OPTIONS", extra)));
    }

    [Theory]
    [InlineData("1 INVITE")]
    [InlineData("1 options")]
    public void Cseq_method_must_match_the_request_method(string cseq)
    {
        var r = new SipMessageValidator().ValidateRequest(Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", cseq));
        Assert.Equal(400, r.StatusCode);
        Assert.Equal(SipHeaderId.CSeq, r.Header);
    }

    [Theory]
    [InlineData("99999999999 OPTIONS")]
    [InlineData("OPTIONS")]
    public void Malformed_cseq_is_400(string cseq)
    {
        Assert.Equal(400, Status(Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", cseq)));
    }

    [Theory]
    [InlineData("Contact: \"Joe\" <sip:joe@example.org>;;;;")]
    [InlineData("Contact: *")]
    [InlineData("Route: sip:p1.example.com;lr?x=y")]
    [InlineData("Record-Route: <sip:p1.example.com;lr")]
    [InlineData("Content-Type: application")]
    [InlineData("Via: SIP/2.0/UDP 192.0.2.15;;,;,,")]
    [InlineData("Max-Forwards: 300")]
    public void Malformed_headers_are_400(string extra)
    {
        var lines = extra.StartsWith("Max-Forwards") ? Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", "1 OPTIONS") : null;
        SipMessage m = lines is null
            ? Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", "1 OPTIONS", extra)
            : ReplaceMaxForwards(extra);
        Assert.Equal(400, Status(m));
    }

    private static SipMessage ReplaceMaxForwards(string line)
    {
        var m = new SipMessage();
        var lines = new List<string> { "OPTIONS sip:carol@chicago.example.com SIP/2.0" };
        lines.AddRange(s_base.Select(l => l.StartsWith("Max-Forwards") ? line : l));
        lines.AddRange(["CSeq: 1 OPTIONS", "", ""]);
        Assert.True(m.Parse(TestFiles.Crlf([.. lines])).IsSuccess);
        return m;
    }

    [Fact]
    public void Contact_wildcard_is_fine_in_register()
    {
        Assert.Equal(0, Status(Request("REGISTER sip:registrar.example.com SIP/2.0", "1 REGISTER", "Contact: *", "Expires: 0")));
    }

    [Fact]
    public void Version_other_than_2_0_is_505()
    {
        Assert.Equal(505, Status(Request("OPTIONS sip:carol@chicago.example.com SIP/3.0", "1 OPTIONS")));
    }

    [Fact]
    public void Extension_method_is_501_and_disallowed_method_is_405()
    {
        Assert.Equal(501, Status(Request("FOO sip:carol@chicago.example.com SIP/2.0", "1 FOO")));
        Assert.Equal(501, Status(Request("FOO sip:carol@chicago.example.com SIP/2.0", "1 INVITE")));
        var onlyInviteAndBye = new SipValidatorOptions { AllowedMethods = [SipMethod.Invite, SipMethod.Bye] };
        Assert.Equal(405, Status(Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", "1 OPTIONS"), onlyInviteAndBye));
        Assert.Equal(0, Status(Request("BYE sip:carol@chicago.example.com SIP/2.0", "1 BYE"), onlyInviteAndBye));
    }

    [Theory]
    [InlineData("nobodyknowsthisscheme:totallyopaquecontent", 416)]
    [InlineData("http://example.com/", 416)]
    [InlineData("soap.beep://192.0.2.103:3002", 416)]
    [InlineData("sips:carol@chicago.example.com", 0)]
    [InlineData("tel:+1-201-555-0123", 0)]
    [InlineData("<sip:carol@chicago.example.com>", 400)]
    [InlineData("sip:2001:db8::10", 400)]
    [InlineData("sip:user@example.com?Route=%3Csip:example.com%3E", 400)]
    [InlineData("sip:", 400)]
    public void Request_uri_scheme_and_syntax(string uri, int status)
    {
        Assert.Equal(status, Status(Request($"OPTIONS {uri} SIP/2.0", "1 OPTIONS")));
    }

    [Fact]
    public void Max_forwards_zero_is_processed_by_a_ua_and_483_when_forwarding()
    {
        var zero = ReplaceMaxForwards("Max-Forwards: 0");
        Assert.Equal(0, Status(zero));
        var proxy = new SipValidatorOptions { ForwardsRequests = true };
        // OPTIONS with Max-Forwards 0 is answered by the element itself (RFC 3261 §16.3 item 2).
        Assert.Equal(0, Status(zero, proxy));
        var m = new SipMessage();
        var lines = new List<string> { "INVITE sip:carol@chicago.example.com SIP/2.0" };
        lines.AddRange(s_base.Select(l => l.StartsWith("Max-Forwards") ? "Max-Forwards: 0" : l));
        lines.AddRange(["CSeq: 1 INVITE", "", ""]);
        Assert.True(m.Parse(TestFiles.Crlf([.. lines])).IsSuccess);
        Assert.Equal(483, Status(m, proxy));
        Assert.Equal(0, Status(m));
    }

    [Fact]
    public void Unsupported_require_is_420_with_an_unsupported_header()
    {
        var m = Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", "1 OPTIONS", "Require: timer, nothingSupportsThis", "Require: 100rel, other");
        var validator = new SipMessageValidator(new SipValidatorOptions { SupportedOptionTags = ["timer", "100rel"] });
        var r = validator.ValidateRequest(m);
        Assert.Equal(420, r.StatusCode);
        Assert.Equal(SipHeaderId.Require, r.Header);

        var output = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new SipMessageWriter(output);
        Assert.Equal(2, validator.WriteUnsupported(ref writer, m));
        writer.Flush();
        Assert.Equal("Unsupported: nothingSupportsThis, other\r\n", System.Text.Encoding.ASCII.GetString(output.WrittenSpan));

        Assert.Equal(0, Status(Request("OPTIONS sip:carol@chicago.example.com SIP/2.0", "1 OPTIONS", "Require: timer"),
            new SipValidatorOptions { SupportedOptionTags = ["timer"] }));
    }

    [Fact]
    public void Require_is_not_checked_on_ack_and_cancel()
    {
        Assert.Equal(0, Status(Request("ACK sip:carol@chicago.example.com SIP/2.0", "1 ACK", "Require: nothingSupportsThis")));
        Assert.Equal(0, Status(Request("CANCEL sip:carol@chicago.example.com SIP/2.0", "1 CANCEL", "Require: nothingSupportsThis")));
    }

    [Fact]
    public void Unaccepted_body_type_or_encoding_is_415()
    {
        Assert.Equal(415, Status(Request("INVITE sip:carol@chicago.example.com SIP/2.0", "1 INVITE",
            "Content-Type: application/unknownformat", "Content-Length: 4", "", "body")));
        Assert.Equal(415, Status(Request("INVITE sip:carol@chicago.example.com SIP/2.0", "1 INVITE",
            "Content-Type: application/sdp", "Content-Encoding: gzip", "Content-Length: 4", "", "body")));
        Assert.Equal(0, Status(Request("INVITE sip:carol@chicago.example.com SIP/2.0", "1 INVITE",
            "Content-Type: Application/SDP", "Content-Length: 4", "", "v=0\n")));
        // An empty body is never refused for its type.
        Assert.Equal(0, Status(Request("INVITE sip:carol@chicago.example.com SIP/2.0", "1 INVITE",
            "Content-Type: application/unknownformat", "Content-Length: 0")));
    }

    [Theory]
    [InlineData("Accept: text/nobodyKnowsThis", 406)]
    [InlineData("Accept: application/sdp", 0)]
    [InlineData("Accept: text/plain, application/*", 0)]
    [InlineData("Accept: */*", 0)]
    [InlineData("Accept: text/plain", 406)]
    public void Invite_accept_must_allow_an_answer_type(string accept, int status)
    {
        Assert.Equal(status, Status(Request("INVITE sip:carol@chicago.example.com SIP/2.0", "1 INVITE", accept)));
    }

    [Fact]
    public void Responses_with_more_than_one_via_or_bad_cseq_are_dropped()
    {
        var validator = new SipMessageValidator();
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Message("rfc3261-180-ringing.sip")).IsSuccess);
        Assert.True(validator.ValidateResponse(m).IsAcceptable);
        Assert.True(m.Parse(TestFiles.Bench("ok200.sip")).IsSuccess);
        Assert.True(validator.ValidateResponse(m).IsAcceptable);
        Assert.True(m.Parse(TestFiles.Crlf("SIP/2.0 200 OK", "Via: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/UDP b;branch=z9hG4bK2",
            "From: <sip:a@b>;tag=1", "To: <sip:c@d>;tag=2", "Call-ID: x", "CSeq: 1 INVITE", "", "")).IsSuccess);
        var r = validator.ValidateResponse(m);
        Assert.True(r.Drop);
        Assert.StartsWith("drop:", r.ToString());
        Assert.True(m.Parse(TestFiles.Crlf("SIP/2.0 200 OK", "Via: SIP/2.0/UDP a;branch=z9hG4bK1",
            "From: <sip:a@b>;tag=1", "To: <sip:c@d>;tag=2", "Call-ID: x", "CSeq: 99999999999 INVITE", "", "")).IsSuccess);
        Assert.True(validator.ValidateResponse(m).Drop);
    }

    [Fact]
    public void Options_are_checked_when_the_validator_is_built()
    {
        Assert.Throws<ArgumentException>(() => new SipMessageValidator(new SipValidatorOptions { AcceptedContentTypes = ["sdp"] }));
        Assert.Throws<ArgumentException>(() => new SipMessageValidator(new SipValidatorOptions { ResponseContentTypes = ["application/"] }));
        Assert.Throws<ArgumentException>(() => new SipMessageValidator(new SipValidatorOptions { SupportedOptionTags = ["tïmer"] }));
    }

    [Fact]
    public void Validating_the_wrong_kind_of_message_throws()
    {
        var validator = new SipMessageValidator();
        var m = new SipMessage();
        Assert.Throws<ArgumentException>(() => validator.ValidateRequest(m));
        Assert.True(m.Parse(TestFiles.Message("rfc3261-180-ringing.sip")).IsSuccess);
        Assert.Throws<ArgumentException>(() => validator.ValidateRequest(m));
        Assert.True(m.Parse(TestFiles.Message("rfc3261-invite.sip")).IsSuccess);
        Assert.Throws<ArgumentException>(() => validator.ValidateResponse(m));
    }
}
