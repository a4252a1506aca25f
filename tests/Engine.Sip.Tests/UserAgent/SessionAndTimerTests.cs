using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>Calls on a fake clock: session timers (RFC 4028), 2xx retransmission, and nothing left behind.</summary>
public sealed class SessionAndTimerTests
{
    private static SipUserAgentOptions CalleeWithTimer(int interval, bool refresherIsCaller) => new()
    {
        ListenEndPoint = new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0),
        IncomingSessionExpires = interval,
        IncomingRefresherIsCaller = refresherIsCaller,
    };

    [Fact]
    public void Every_transaction_dialog_and_call_is_gone_once_the_timers_ran_out()
    {
        using var bed = new CallTestBed(fakeClock: true);
        for (int i = 0; i < 3; i++)
        {
            SipCall call = bed.Place();
            bed.Observer.WaitFor("answered", call);
            SipCall incoming = bed.Handler.TakeCall();
            bed.Handler.Observer.WaitFor("answered", incoming);
            call.HangUp();
            bed.Observer.WaitFor("ended", call);
            bed.Handler.Observer.WaitFor("ended", incoming);
        }
        bed.Handler.Script = (c, _) => c.Reject(603);
        bed.Observer.WaitFor("failed", bed.Place());
        bed.Handler.Script = (c, _) => c.Ring();
        SipCall cancelled = bed.Place();
        bed.Observer.WaitFor("ringing", cancelled);
        cancelled.Cancel();
        bed.Observer.WaitFor("failed", cancelled);

        Assert.True(bed.Caller.Counters.ActiveClientTransactions > 0);
        bed.DrainTimers();

        bed.AssertNothingLeft();
        Assert.Equal(0, bed.Caller.Layer.Wheel.CallbackFailures);
        Assert.Equal(0, bed.Callee.Layer.Wheel.CallbackFailures);
    }

    [Fact]
    public void Refresher_uac_refreshes_at_half_the_interval_with_update()
    {
        using var bed = new CallTestBed(fakeClock: true, calleeOptions: CalleeWithTimer(90, refresherIsCaller: true));
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        var ok = bed.CallerTrace.WaitFor(m => !m.Outgoing && m.IsResponse(200), "the 200");
        Assert.Equal("90;refresher=uac", ok.Header("Session-Expires"));
        Assert.Equal("timer", ok.Header("Require"));
        Assert.Equal(90, call.SessionInterval);
        Assert.True(call.IsSessionRefresher);

        bed.Advance(TimeSpan.FromMilliseconds(44990));
        Assert.DoesNotContain(bed.CallerTrace.Sent, m => m.IsRequest("UPDATE"));
        bed.Advance(TimeSpan.FromMilliseconds(10));
        // RFC 4028 §10: the refresher refreshes at half the interval; the callee allows UPDATE.
        var update = bed.CallerTrace.WaitFor(m => m.Outgoing && m.IsRequest("UPDATE"), "the refresh");
        Assert.Equal(45000, update.At.TotalMilliseconds);
        Assert.Equal("90;refresher=uac", update.Header("Session-Expires"));
        bed.CallerTrace.WaitFor(m => !m.Outgoing && m.IsResponse(200) && m.Header("CSeq") == "2 UPDATE", "the 200 to the UPDATE");

        // Refreshed: nothing ends the call at the first expiry, and the next refresh comes 45 s later.
        bed.Advance(TimeSpan.FromSeconds(45));
        bed.CallerTrace.WaitForCount(m => m.Outgoing && m.IsRequest("UPDATE"), 2, "the second refresh");
        Assert.Equal(SipCallState.Answered, call.State);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Refresher_uas_that_never_refreshes_makes_us_send_bye_before_expiry()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var agent = new SipUserAgent(CallTestBed.Loopback(), clock);
        var trace = new Transactions.MessageRecorder(clock);
        agent.Tap = trace;
        using var far = new RawUas();
        var trunk = agent.AddTrunk(new Dialtone.Engine.Sip.Trunks.SipTrunkOptions { Name = "far", Host = "127.0.0.1", Port = far.Port, Transport = SipTransportProtocol.Udp });
        var observer = new RecordingCallObserver();
        SipCall call = agent.PlaceCall(new SipCallRequest { Trunk = trunk, RequestUri = $"sip:x@127.0.0.1:{far.Port}", CallerId = "1", SdpOffer = TestSdp.Offer }, observer);
        string invite = far.Expect("INVITE");
        // The far end takes the refresher role, then never refreshes.
        far.Respond(invite, 200, "far", System.Text.Encoding.ASCII.GetString(TestSdp.AnswerTo(TestSdp.Offer)), "Session-Expires: 90;refresher=uas\r\n");
        far.Expect("ACK");
        observer.WaitFor("answered", call);
        Assert.False(call.IsSessionRefresher);

        void Advance(int ms) => FakeClockSteps.Advance(clock, TimeSpan.FromMilliseconds(ms));
        Advance(59990);
        Assert.DoesNotContain(trace.Sent, m => m.IsRequest("BYE"));
        Advance(10);
        // RFC 4028 §10: BYE at the expiry minus min(32 s, interval/3) = 90 - 30 = 60 s.
        var bye = trace.WaitFor(m => m.Outgoing && m.IsRequest("BYE"), "the BYE");
        Assert.Equal(60000, bye.At.TotalMilliseconds);
        Assert.Contains("Session timer expired", bye.Header("Reason"));
        far.Respond(far.Expect("BYE"), 200);
        Assert.Equal("ended SessionTimerExpired", observer.WaitFor("ended", call).Event);
    }

    [Fact]
    public void Refresh_from_the_callee_keeps_the_call_up()
    {
        using var bed = new CallTestBed(fakeClock: true, calleeOptions: CalleeWithTimer(120, refresherIsCaller: false));
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        bed.Advance(TimeSpan.FromSeconds(200));
        // The callee refreshed at 60 s and 120 s (UPDATE: our Allow lists it); we never sent BYE.
        bed.CalleeTrace.WaitForCount(m => m.Outgoing && m.IsRequest("UPDATE"), 3, "three refreshes");
        Assert.DoesNotContain(bed.CallerTrace.Sent, m => m.IsRequest("BYE"));
        Assert.Equal(SipCallState.Answered, call.State);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void A_422_makes_the_caller_ask_again_with_the_minimum()
    {
        var callee = CallTestBed.Loopback();
        callee = new SipUserAgentOptions { ListenEndPoint = callee.ListenEndPoint, MinSessionExpires = 300 };
        using var bed = new CallTestBed(calleeOptions: callee, trunk: t => new Dialtone.Engine.Sip.Trunks.SipTrunkOptions
        {
            Name = t.Name,
            Host = t.Host,
            Port = t.Port,
            Transport = t.Transport,
            SessionExpires = 120,
        });
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);

        var invites = bed.CalleeTrace.Received.Where(m => m.IsRequest("INVITE")).ToList();
        Assert.Equal(2, invites.Count);
        Assert.Equal("120", invites[0].Header("Session-Expires"));
        Assert.Equal("300", invites[1].Header("Session-Expires"));
        Assert.Equal("300", invites[1].Header("Min-SE"));
        Assert.Equal("2 INVITE", invites[1].Header("CSeq"));
        Assert.Contains(bed.CalleeTrace.Sent, m => m.IsResponse(422) && m.Header("Min-SE") == "300");
        Assert.Equal(300, call.SessionInterval);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Callee_retransmits_its_2xx_until_the_ack_and_hangs_up_without_one()
    {
        using var bed = new CallTestBed(fakeClock: true);
        bed.Handler.Script = (call, _) => call.Answer(TestSdp.AnswerTo(TestSdp.Offer));
        using var peer = new Transactions.UdpPeer();
        // A caller that never ACKs: a raw peer sending one INVITE.
        peer.SendTo(Transactions.SipTemplates.Transaction("invite.sip", ("layerPort", bed.Callee.LocalEndPoint.Port), ("peerPort", peer.Port),
            ("branch", "z9hG4bKnoack"), ("callId", "no-ack-1"), ("cseq", 1)), bed.Callee.LocalEndPoint);
        SipCall incoming = bed.Handler.TakeCall();
        bed.Advance(TimeSpan.FromMilliseconds(31990));
        var oks = bed.CalleeTrace.Sent.Where(m => m.IsResponse(200)).Select(m => m.At.TotalMilliseconds).ToArray();
        // RFC 3261 §13.3.1.4: T1 doubling to T2.
        Assert.Equal([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500], oks);
        Assert.DoesNotContain(bed.CalleeTrace.Sent, m => m.IsRequest("BYE"));
        bed.Advance(TimeSpan.FromMilliseconds(10));
        // ... and without an ACK by 64*T1, a BYE.
        var bye = bed.CalleeTrace.WaitFor(m => m.Outgoing && m.IsRequest("BYE"), "the BYE");
        Assert.Equal(32000, bye.At.TotalMilliseconds);
        bed.Advance(TimeSpan.FromSeconds(33));
        Assert.Equal("ended NoAck", bed.Handler.Observer.WaitFor("ended", incoming).Event);
    }
}
