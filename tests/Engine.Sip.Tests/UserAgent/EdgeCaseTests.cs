using System.Text;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>Our user agent against a hand-driven far end: forks, crossings, retransmissions, and requests that do not fit.</summary>
public sealed class EdgeCaseTests : IDisposable
{
    private readonly SipUserAgent _agent = new(CallTestBed.Loopback());
    private readonly RawUas _far = new();
    private readonly RecordingCallObserver _observer = new();
    private readonly SipTrunk _trunk;
    private readonly string _sdp = Encoding.ASCII.GetString(TestSdp.AnswerTo(TestSdp.Offer));

    public EdgeCaseTests()
    {
        _trunk = _agent.AddTrunk(new SipTrunkOptions { Name = "raw", Host = "127.0.0.1", Port = _far.Port, Transport = SipTransportProtocol.Udp });
    }

    private SipCall Place(TimeSpan? ring = null) => _agent.PlaceCall(new SipCallRequest
    {
        Trunk = _trunk,
        RequestUri = $"sip:bob@127.0.0.1:{_far.Port}",
        CallerId = "100",
        SdpOffer = TestSdp.Offer,
        RingTimeout = ring ?? TimeSpan.FromSeconds(30),
    }, _observer);

    [Fact]
    public void Retransmitted_2xx_gets_the_same_ack_again()
    {
        SipCall call = Place();
        string invite = _far.Expect("INVITE");
        _far.Respond(invite, 200, "far", _sdp);
        string ack1 = _far.Expect("ACK");
        _far.Respond(invite, 200, "far", _sdp);
        string ack2 = _far.Expect("ACK");

        // RFC 3261 §13.2.2.4: the same ACK for each retransmission, and one "answered".
        Assert.Equal(ack1, ack2);
        Assert.Equal("1 ACK", RawUas.Header(ack1, "CSeq"));
        Assert.StartsWith($"ACK sip:raw@127.0.0.1:{_far.Port} SIP/2.0", ack1);
        Assert.NotEqual(RawUas.Header(invite, "Via"), RawUas.Header(ack1, "Via"));
        Assert.Single(_observer.Events, e => e.Event == "answered");
        call.HangUp();
        _far.Respond(_far.Expect("BYE"), 200);
        _observer.WaitFor("ended", call);
    }

    [Fact]
    public void Forked_early_dialogs_then_a_second_2xx_gets_ack_and_bye()
    {
        SipCall call = Place();
        string invite = _far.Expect("INVITE");
        _far.Respond(invite, 180, "fork-a");
        _far.Respond(invite, 183, "fork-b", _sdp);
        _observer.WaitFor("ringing 183", call);
        Assert.Equal(2, _agent.Counters.ActiveDialogs);

        _far.Respond(invite, 200, "fork-a", _sdp);
        string ackA = _far.Expect("ACK");
        Assert.EndsWith(";tag=fork-a", RawUas.Header(ackA, "To"));
        _observer.WaitFor("answered", call);
        Assert.Equal("fork-a", call.RemoteTag);

        _far.Respond(invite, 200, "fork-b", _sdp);
        string ackB = _far.Expect("ACK");
        string byeB = _far.Expect("BYE");
        // §13.2.2.4: the second fork is acknowledged, then released.
        Assert.EndsWith(";tag=fork-b", RawUas.Header(ackB, "To"));
        Assert.EndsWith(";tag=fork-b", RawUas.Header(byeB, "To"));
        Assert.Equal("2 BYE", RawUas.Header(byeB, "CSeq"));
        _far.Respond(byeB, 200);
        TestBedWait.Until(() => _agent.Counters.ActiveDialogs == 1, "the second fork's dialog to be released");
        Assert.Equal(SipCallState.Answered, call.State);

        call.HangUp();
        string bye = _far.Expect("BYE");
        Assert.EndsWith(";tag=fork-a", RawUas.Header(bye, "To"));
        _far.Respond(bye, 200);
        _observer.WaitFor("ended", call);
        Assert.Equal(0, _agent.Counters.ActiveDialogs);
    }

    [Fact]
    public void A_200_crossing_our_cancel_gets_ack_and_bye()
    {
        SipCall call = Place();
        string invite = _far.Expect("INVITE");
        _far.Respond(invite, 180, "far");
        _observer.WaitFor("ringing", call);
        call.Cancel();
        string cancel = _far.Expect("CANCEL");
        // The callee picked up at that very moment: its 200 crosses our CANCEL.
        _far.Respond(invite, 200, "far", _sdp);
        _far.Respond(cancel, 200);

        Assert.EndsWith(";tag=far", RawUas.Header(_far.Expect("ACK"), "To"));
        string bye = _far.Expect("BYE");
        _far.Respond(bye, 200);
        var failed = _observer.WaitFor("failed", call);
        Assert.Equal("failed Canceled 487", failed.Event);
        Assert.DoesNotContain(_observer.EventNames(call), e => e == "answered");
    }

    [Fact]
    public void Bye_with_a_reason_header_ends_the_call_with_that_text()
    {
        SipCall call = Place();
        string invite = _far.Expect("INVITE");
        _far.Respond(invite, 200, "far", _sdp);
        _far.Expect("ACK");
        _observer.WaitFor("answered", call);

        _far.Send(InDialog(call, "BYE", 1, "Reason: Q.850;cause=16;text=\"Normal call clearing\"\r\n"), _agent.LocalEndPoint);
        _observer.WaitFor("ended", call);
        Assert.Equal(SipCallEndCause.RemoteHangup, call.End.Cause);
        Assert.Equal("Normal call clearing", call.End.Reason);
    }

    [Fact]
    public void Requests_for_unknown_dialogs_get_481_and_out_of_order_ones_500()
    {
        SipCall call = Place();
        string invite = _far.Expect("INVITE");
        _far.Respond(invite, 200, "far", _sdp);
        _far.Expect("ACK");
        _observer.WaitFor("answered", call);

        using var peer = new Transactions.UdpPeer();
        // A BYE whose To tag names no dialog of ours, and one with a tag that is not even ours.
        peer.SendTo(Encoding.ASCII.GetBytes(InDialog(call, "BYE", 5, "", toTag: "00000000deadbeef", viaPort: peer.Port)), _agent.LocalEndPoint);
        Assert.StartsWith("SIP/2.0 481 ", peer.Receive());
        peer.SendTo(Encoding.ASCII.GetBytes(InDialog(call, "INFO", 6, "", toTag: "not-ours", viaPort: peer.Port)), _agent.LocalEndPoint);
        Assert.StartsWith("SIP/2.0 481 ", peer.Receive());
        // A BYE outside any dialog.
        peer.SendTo(Encoding.ASCII.GetBytes(InDialog(call, "BYE", 7, "", toTag: null, viaPort: peer.Port)), _agent.LocalEndPoint);
        Assert.StartsWith("SIP/2.0 481 ", peer.Receive());

        // In the dialog: CSeq 10, then CSeq 9 is out of order (§12.2.2).
        peer.SendTo(Encoding.ASCII.GetBytes(InDialog(call, "OPTIONS", 10, "", viaPort: peer.Port)), _agent.LocalEndPoint);
        Assert.StartsWith("SIP/2.0 200 ", peer.Receive());
        peer.SendTo(Encoding.ASCII.GetBytes(InDialog(call, "INFO", 9, "", viaPort: peer.Port)), _agent.LocalEndPoint);
        Assert.StartsWith("SIP/2.0 500 ", peer.Receive());
        // A method we do not serve.
        peer.SendTo(Encoding.ASCII.GetBytes(InDialog(call, "MESSAGE", 11, "", viaPort: peer.Port)), _agent.LocalEndPoint);
        string? notAllowed = peer.Receive();
        Assert.StartsWith("SIP/2.0 405 ", notAllowed);
        Assert.Contains("\r\nAllow: ", notAllowed);

        Assert.Equal(3, _agent.Counters.Drops(SipDropReason.NoSuchDialog));
        Assert.Equal(1, _agent.Counters.Drops(SipDropReason.OutOfOrder));
        Assert.Equal(1, _agent.Counters.Drops(SipDropReason.MethodNotAllowed));
        Assert.Equal(SipCallState.Answered, call.State);
        call.HangUp();
        _far.Respond(_far.Expect("BYE"), 200);
        _observer.WaitFor("ended", call);
    }

    [Fact]
    public void Stray_responses_and_acks_are_dropped_and_counted()
    {
        using var peer = new Transactions.UdpPeer();
        peer.SendTo(Encoding.ASCII.GetBytes(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK0000000000000001\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\n" +
            "Call-ID: stray\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n"), _agent.LocalEndPoint);
        peer.SendTo(Encoding.ASCII.GetBytes(
            $"ACK sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{peer.Port};branch=z9hG4bKstrayack\r\nMax-Forwards: 70\r\nFrom: <sip:a@b>;tag=1\r\n" +
            "To: <sip:c@d>;tag=0000000100000001\r\nCall-ID: stray\r\nCSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n"), _agent.LocalEndPoint);
        TestBedWait.Until(() => _agent.Counters.Drops(SipDropReason.StrayResponse) == 1 && _agent.Counters.Drops(SipDropReason.StrayAck) == 1,
            "both to be dropped");
        Assert.Null(peer.Receive(200));
    }

    [Fact]
    public void Invite_timeout_on_the_only_target_fails_with_408()
    {
        var fake = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var agent = new SipUserAgent(CallTestBed.Loopback(), fake);
        var trunk = agent.AddTrunk(new SipTrunkOptions { Name = "silent", Host = "127.0.0.1", Port = _far.Port, Transport = SipTransportProtocol.Udp });
        SipCall call = agent.PlaceCall(new SipCallRequest { Trunk = trunk, RequestUri = $"sip:x@127.0.0.1:{_far.Port}", CallerId = "1", SdpOffer = TestSdp.Offer }, _observer);
        FakeClockSteps.Advance(fake, TimeSpan.FromSeconds(33));
        Assert.Equal("failed Timeout 408", _observer.WaitFor("failed", call).Event);
        Assert.Equal(7, _far.Received.Count + CountPending());

        int CountPending()
        {
            int n = 0;
            while (!_far.Quiet("INVITE", 50))
                n++;
            return n;
        }
    }

    private static string InDialog(SipCall call, string method, int cseq, string extra, string? toTag = "", int viaPort = 5999)
    {
        string to = toTag is null ? "<sip:100@127.0.0.1>" : $"<sip:100@127.0.0.1>;tag={(toTag == "" ? call.LocalTag : toTag)}";
        return $"{method} sip:dialtone@127.0.0.1 SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{viaPort};branch=z9hG4bK{method}{cseq}x;rport\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:bob@127.0.0.1>;tag={call.RemoteTag}\r\n" +
            $"To: {to}\r\n" +
            $"Call-ID: {call.CallId}\r\n" +
            $"CSeq: {cseq} {method}\r\n" + extra +
            "Content-Length: 0\r\n\r\n";
    }

    public void Dispose()
    {
        _agent.Dispose();
        _far.Dispose();
    }
}
