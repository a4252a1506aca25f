using System.Buffers;
using Dialtone.Engine.Sip.Addressing;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests;

/// <summary>
/// The hot paths allocate nothing once warm: parse plus typed access of the hot headers over the
/// exact bench messages, framing, validation, and writing an INVITE, a 200 OK and an ACK into a
/// reused buffer. Each test warms up, then measures a loop on this thread. Inside the loops,
/// checks only count failures: xunit's Assert.Equal allocates, so assertions come afterwards.
/// </summary>
public class AllocationTests
{
    private const int Iterations = 2_000;

    private static readonly byte[] s_invite = TestFiles.Bench("invite.sip");
    private static readonly byte[] s_ok200 = TestFiles.Bench("ok200.sip");
    private static readonly byte[] s_options = TestFiles.Bench("options.sip");

    /// <summary>
    /// The least of up to five rounds: a round can catch a one-off allocation of the runtime itself (a
    /// method recompiled at a higher tier on this thread); the code under test's would show in every round.
    /// </summary>
    private static long AllocatedBy(Action action)
    {
        for (int i = 0; i < 200; i++)
            action();
        long least = long.MaxValue;
        for (int round = 0; round < 5 && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < Iterations; i++)
                action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }

    private static int ReadHotHeaders(SipMessage m)
    {
        int sum = 0;
        Assert.True(m.TryGetTopVia(out SipVia via));
        sum += via.Branch.Length + via.Host.Length + via.Port + via.RPort;
        Assert.True(m.TryGetFrom(out SipNameAddress from));
        sum += from.Tag.Length + from.Uri.Host.Length;
        Assert.True(m.TryGetTo(out SipNameAddress to));
        sum += to.Tag.Length + to.Uri.User.Length;
        Assert.True(m.TryGetCSeq(out SipCSeq cseq));
        sum += (int)cseq.Number + (int)cseq.Method;
        sum += m.CallId.Length;
        if (m.TryGetContact(out SipNameAddress contact))
            sum += contact.Uri.Port;
        if (m.TryGetMaxForwards(out int hops))
            sum += hops;
        sum += m.ContentLength;
        foreach (ReadOnlySpan<byte> v in m.GetValues(SipHeaderId.Via))
            sum += v.Length;
        return sum;
    }

    [Theory]
    [InlineData("invite.sip")]
    [InlineData("ok200.sip")]
    [InlineData("options.sip")]
    public void Parse_and_typed_access_of_hot_headers_allocate_nothing(string file)
    {
        byte[] bytes = TestFiles.Bench(file);
        var message = new SipMessage();
        int sink = 0;
        long allocated = AllocatedBy(() =>
        {
            Assert.True(message.Parse(bytes).IsSuccess);
            sink += ReadHotHeaders(message);
        });
        Assert.Equal(0, allocated);
        Assert.NotEqual(0, sink);
    }

    [Fact]
    public void Parse_failures_allocate_nothing()
    {
        byte[] bad = [.. s_invite];
        bad[100] = 0;
        var message = new SipMessage();
        long allocated = AllocatedBy(() =>
        {
            var r = message.Parse(bad);
            Assert.False(r.IsSuccess);
            _ = r.Reason;
        });
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Validation_and_comparisons_allocate_nothing()
    {
        var message = new SipMessage();
        Assert.True(message.Parse(s_invite).IsSuccess);
        var validator = new SipMessageValidator(new SipValidatorOptions { SupportedOptionTags = ["timer"] });
        var response = new SipMessage();
        Assert.True(response.Parse(s_ok200).IsSuccess);
        int failures = 0;
        long allocated = AllocatedBy(() =>
        {
            bool ok = validator.ValidateRequest(message).StatusCode == 0
                && validator.ValidateResponse(response).IsAcceptable
                && SipUri.TryParse(message.RequestUri, out SipUri a)
                && message.TryGetTo(out SipNameAddress to)
                && a.EqualsUri(to.Uri)
                && SipHeaderValues.ContainsToken(message, SipHeaderId.Allow, "PRACK"u8);
            if (!ok)
                failures++;
        });
        Assert.Equal(0, allocated);
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Framing_a_single_segment_allocates_nothing()
    {
        byte[] stream = [.. "\r\n\r\n"u8, .. s_invite, .. s_options];
        using var framer = new SipStreamFramer();
        int failures = 0;
        long allocated = AllocatedBy(() =>
        {
            var buffer = new ReadOnlySequence<byte>(stream);
            bool ok = framer.Read(buffer).Status == SipFrameStatus.Ping;
            buffer = buffer.Slice(4);
            ok &= framer.Read(buffer.Slice(0, 100)).Status == SipFrameStatus.NeedMoreData;
            ok &= framer.Read(buffer.Slice(0, s_invite.Length - 1)).Status == SipFrameStatus.NeedMoreData;
            ok &= framer.Read(buffer).Length == s_invite.Length;
            if (!ok)
                failures++;
        });
        Assert.Equal(0, allocated);
        Assert.Equal(0, failures);
    }

    [Fact]
    public void Writing_an_invite_a_200_ok_and_an_ack_allocates_nothing()
    {
        var invite = new SipMessage();
        Assert.True(invite.Parse(s_invite).IsSuccess);
        var ok = new SipMessage();
        Assert.True(ok.Parse(s_ok200).IsSuccess);
        byte[] sdp = invite.Body.ToArray();
        var output = new ArrayBufferWriter<byte>(4096);
        long allocated = AllocatedBy(() =>
        {
            output.ResetWrittenCount();
            var w = new SipMessageWriter(output);
            w.WriteRequestLine(SipMethod.Invite, "sip:bob@biloxi.example.com"u8);
            w.WriteVia("UDP"u8, "client.atlanta.example.com"u8, 5060, "z9hG4bK74bf9a8c3d1e"u8);
            w.WriteMaxForwards();
            w.WriteFrom("Alice Liddell"u8, "sip:alice@atlanta.example.com"u8, "9fxced76sl"u8);
            w.WriteTo("Bob Biloxi"u8, "sip:bob@biloxi.example.com"u8, default);
            w.WriteCallId("3848276298220188511@client.atlanta.example.com"u8);
            w.WriteCSeq(1, SipMethod.Invite);
            w.WriteContact("sip:alice@client.atlanta.example.com:5060;transport=udp"u8);
            w.WriteHeader(SipHeaderId.SessionExpires, 1800);
            w.WriteContentType("application/sdp"u8);
            w.WriteBody(sdp);
            w.Flush();

            output.ResetWrittenCount();
            w = new SipMessageWriter(output);
            w.WriteResponseTo(invite, 200, "8321234356"u8, copyRecordRoute: true);
            w.WriteContact("sip:bob@client.biloxi.example.com:5060"u8);
            w.WriteContentType("application/sdp"u8);
            w.WriteBody(sdp);
            w.Flush();

            output.ResetWrittenCount();
            w = new SipMessageWriter(output);
            w.WriteAckForNon2xx(invite, ok);
            w.WriteEmptyBody();
            w.Flush();
        });
        Assert.Equal(0, allocated);
        Assert.True(output.WrittenCount > 0);
    }
}
