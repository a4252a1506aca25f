using System.Buffers;
using System.Text;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Message;

public class SipMessageWriterTests
{
    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static SipMessage Parse(ReadOnlySpan<byte> bytes)
    {
        var m = new SipMessage();
        SipParseResult r = m.Parse(bytes.ToArray(), SipFraming.Stream);
        Assert.True(r.IsSuccess, r.ToString());
        return m;
    }

    [Fact]
    public void Writes_an_invite_that_parses_back_field_for_field()
    {
        var output = new ArrayBufferWriter<byte>();
        var w = new SipMessageWriter(output);
        byte[] sdp = Encoding.ASCII.GetBytes("v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\n");
        w.WriteRequestLine(SipMethod.Invite, "sip:bob@biloxi.example.com"u8);
        w.WriteVia("UDP"u8, "192.0.2.1"u8, 5060, "z9hG4bK776asdhds"u8);
        w.WriteMaxForwards();
        w.WriteFrom("Alice \"Al\" L"u8, "sip:alice@atlanta.example.com"u8, "1928301774"u8);
        w.WriteTo(default, "sip:bob@biloxi.example.com"u8, default);
        w.WriteCallId("a84b4c76e66710@192.0.2.1"u8);
        w.WriteCSeq(314159, SipMethod.Invite);
        w.WriteContact("sip:alice@192.0.2.1:5060"u8);
        w.WriteHeader(SipHeaderId.Supported, "timer, 100rel");
        w.WriteHeader("X-Session"u8, 42);
        w.WriteContentType("application/sdp"u8);
        w.WriteBody(sdp);
        w.Flush();
        Assert.Equal(output.WrittenCount, w.BytesWritten);

        var m = Parse(output.WrittenSpan);
        Assert.Equal(SipMethod.Invite, m.Method);
        Assert.Equal("sip:bob@biloxi.example.com", T(m.RequestUri));
        Assert.True(m.TryGetTopVia(out var via));
        Assert.Equal("z9hG4bK776asdhds", T(via.Branch));
        Assert.Equal(5060, via.Port);
        Assert.True(via.HasRPort);
        Assert.True(m.TryGetFrom(out var from));
        Span<byte> name = stackalloc byte[64];
        Assert.True(from.TryGetDisplayName(name, out int n));
        Assert.Equal("Alice \"Al\" L", T(name[..n]));
        Assert.Equal("1928301774", T(from.Tag));
        Assert.True(m.TryGetTo(out var to));
        Assert.False(to.HasTag);
        Assert.True(m.TryGetCSeq(out var cseq));
        Assert.Equal(314159u, cseq.Number);
        Assert.True(m.TryGetMaxForwards(out int mf));
        Assert.Equal(70, mf);
        Assert.Equal("42", T(m.GetValue("x-session"u8)));
        Assert.Equal(sdp, m.Body.ToArray());
        Assert.Equal(0, new SipMessageValidator(new SipValidatorOptions { SupportedOptionTags = ["timer", "100rel"] }).ValidateRequest(m).StatusCode);
    }

    [Fact]
    public void Builds_a_response_by_copying_the_request_headers()
    {
        var invite = Parse(TestFiles.Message("invite-with-route.sip"));
        var output = new ArrayBufferWriter<byte>();
        var w = new SipMessageWriter(output);
        w.WriteResponseTo(invite, 200, "8321234356"u8, copyRecordRoute: true);
        w.WriteContact("sip:bob@192.0.2.4"u8);
        w.WriteEmptyBody();
        w.Flush();

        var ok = Parse(output.WrittenSpan);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("OK", T(ok.ReasonPhrase));
        Assert.Equal(2, ok.Count(SipHeaderId.Via));
        var vias = new List<string>();
        foreach (var v in ok.GetValues(SipHeaderId.Via))
            vias.Add(T(v));
        Assert.Equal(3, vias.Count);
        Assert.Equal(T(invite.FirstElement(SipHeaderId.Via)), vias[0]);
        Assert.True(ok.TryGetTo(out var to));
        Assert.Equal("8321234356", T(to.Tag));
        Assert.Equal(T(invite.GetValue(SipHeaderId.From)), T(ok.GetValue(SipHeaderId.From)));
        Assert.Equal(T(invite.CallId), T(ok.CallId));
        Assert.Equal("314159 INVITE", T(ok.GetValue(SipHeaderId.CSeq)));
        Assert.Equal(T(invite.GetValue(SipHeaderId.RecordRoute)), T(ok.GetValue(SipHeaderId.RecordRoute)));
        Assert.Equal(0, ok.ContentLength);
    }

    [Fact]
    public void Response_keeps_an_existing_to_tag_and_100_gets_none()
    {
        var bye = Parse(TestFiles.Crlf("BYE sip:a@b SIP/2.0", "v: SIP/2.0/UDP h;branch=z9hG4bK1", "t: <sip:a@b>;tag=existing",
            "f: <sip:c@d>;tag=x", "i: call", "CSeq: 2 BYE", "l: 0", "", ""));
        var output = new ArrayBufferWriter<byte>();
        var w = new SipMessageWriter(output);
        w.WriteResponseTo(bye, 200, "new"u8);
        w.WriteEmptyBody();
        w.Flush();
        var ok = Parse(output.WrittenSpan);
        Assert.True(ok.TryGetTo(out var to));
        Assert.Equal("existing", T(to.Tag));
        Assert.Contains("Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n", T(output.WrittenSpan));

        var invite = Parse(TestFiles.Message("rfc3261-invite.sip"));
        output.Clear();
        w = new SipMessageWriter(output);
        w.WriteResponseTo(invite, 100, "ignored"u8);
        w.WriteEmptyBody();
        w.Flush();
        var trying = Parse(output.WrittenSpan);
        Assert.True(trying.TryGetTo(out to));
        Assert.False(to.HasTag);
        Assert.Equal("Trying", T(trying.ReasonPhrase));
    }

    [Fact]
    public void Builds_the_ack_for_a_non_2xx_response()
    {
        var invite = Parse(TestFiles.Message("invite-with-route.sip"));
        var busy = Parse(TestFiles.Crlf("SIP/2.0 486 Busy Here", "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bKnashds8;rport=5060",
            "From: x", "To: Bob <sip:bob@biloxi.example.com>;tag=99", "Call-ID: a84b4c76e66710@pc33.atlanta.example.com", "CSeq: 314159 INVITE", "l: 0", "", ""));
        var output = new ArrayBufferWriter<byte>();
        var w = new SipMessageWriter(output);
        w.WriteAckForNon2xx(invite, busy);
        w.WriteEmptyBody();
        w.Flush();
        var ack = Parse(output.WrittenSpan);
        Assert.Equal(SipMethod.Ack, ack.Method);
        Assert.Equal(T(invite.RequestUri), T(ack.RequestUri));
        Assert.Equal(1, ack.Count(SipHeaderId.Via));
        Assert.Equal(T(invite.FirstElement(SipHeaderId.Via)), T(ack.GetValue(SipHeaderId.Via)));
        Assert.True(ack.TryGetTo(out var to));
        Assert.Equal("99", T(to.Tag));
        Assert.Equal(T(invite.GetValue(SipHeaderId.From)), T(ack.GetValue(SipHeaderId.From)));
        Assert.Equal("314159 ACK", T(ack.GetValue(SipHeaderId.CSeq)));
        Assert.Equal(2, ack.Count(SipHeaderId.Route));
        Assert.Equal(0, new SipMessageValidator().ValidateRequest(ack).StatusCode);
    }

    [Fact]
    public void Builds_a_cancel_for_a_pending_invite()
    {
        var invite = Parse(TestFiles.Message("invite-with-route.sip"));
        var output = new ArrayBufferWriter<byte>();
        var w = new SipMessageWriter(output);
        w.WriteCancelFor(invite);
        w.WriteEmptyBody();
        w.Flush();
        var cancel = Parse(output.WrittenSpan);
        Assert.Equal(SipMethod.Cancel, cancel.Method);
        Assert.Equal(T(invite.RequestUri), T(cancel.RequestUri));
        Assert.Equal(1, cancel.Count(SipHeaderId.Via));
        Assert.True(cancel.TryGetTopVia(out var via));
        Assert.Equal("z9hG4bKnashds8", T(via.Branch));
        Assert.Equal(T(invite.GetValue(SipHeaderId.To)), T(cancel.GetValue(SipHeaderId.To)));
        Assert.Equal("314159 CANCEL", T(cancel.GetValue(SipHeaderId.CSeq)));
        Assert.Equal(0, new SipMessageValidator().ValidateRequest(cancel).StatusCode);
    }

    [Fact]
    public void Copying_expands_compact_names_and_keeps_unknown_names()
    {
        var m = Parse(TestFiles.Crlf("OPTIONS sip:a@b SIP/2.0", "v: SIP/2.0/UDP h;branch=z9hG4bK1", "X-Odd-Name: value", "l: 0", "", ""));
        var output = new ArrayBufferWriter<byte>();
        var w = new SipMessageWriter(output);
        Assert.Equal(1, w.CopyHeaders(m, SipHeaderId.Via));
        w.CopyHeader(m, m.Headers[1]);
        Assert.False(w.CopyFirstHeader(m, SipHeaderId.Route));
        w.Flush();
        Assert.Equal("Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\nX-Odd-Name: value\r\n", T(output.WrittenSpan));
    }

    [Fact]
    public void Large_bodies_are_written_across_buffer_segments()
    {
        byte[] body = new byte[20_000];
        new Random(7).NextBytes(body);
        var output = new ArrayBufferWriter<byte>(16);
        var w = new SipMessageWriter(output);
        w.WriteRequestLine("MESSAGE"u8, "sip:a@b"u8);
        w.WriteBody(body);
        w.Flush();
        var m = Parse(output.WrittenSpan);
        Assert.Equal(body, m.Body.ToArray());
    }

    [Fact]
    public void Refuses_arguments_it_cannot_write()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => new SipMessageWriter(output).WriteRequestLine(SipMethod.Extension, "sip:a@b"u8));
        Assert.Throws<ArgumentException>(() => new SipMessageWriter(output).WriteHeader(SipHeaderId.Other, "x"u8));
        Assert.Throws<ArgumentException>(() => new SipMessageWriter(output).WriteHeader(SipHeaderId.Subject, "café"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipMessageWriter(output).WriteStatusLine(99, "x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipMessageWriter(output).WriteHeader(SipHeaderId.Expires, -1));
        Assert.Throws<ArgumentNullException>(() => new SipMessageWriter(null!));
    }
}
