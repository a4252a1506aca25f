using System.Runtime.CompilerServices;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

public sealed class CallFlowTests
{
    [Fact]
    public void Call_is_answered_and_the_caller_hangs_up()
    {
        using var bed = new CallTestBed();
        SipCall call = bed.Place();

        var answered = bed.Observer.WaitFor("answered", call);
        SipCall incoming = bed.Handler.TakeCall();
        Assert.Equal(SipCallState.Answered, call.State);
        Assert.Contains("m=audio 42000 RTP/AVP 0", answered.Body);
        bed.Handler.Observer.WaitFor("answered", incoming);

        Assert.True(call.HangUp());
        bed.Observer.WaitFor("ended", call);
        bed.Handler.Observer.WaitFor("ended RemoteHangup", incoming);

        Assert.Equal(["ringing 180", "answered", "ended LocalHangup"], bed.Observer.EventNames(call));
        Assert.Equal(SipCallEndCause.LocalHangup, call.End.Cause);
        Assert.False(call.End.ByRemote);
        Assert.True(incoming.End.ByRemote);
        Assert.Equal(call.CallId, incoming.CallId);
        Assert.Equal(0, bed.Caller.ActiveCallCount);
        Assert.Equal(0, bed.Callee.ActiveCallCount);
        // The wire: INVITE, 180, 200, ACK, BYE, 200 as seen by the callee.
        var received = bed.CalleeTrace.Received.Select(m => m.StartLine.Split(' ')[0]).ToList();
        Assert.Equal(["INVITE", "ACK", "BYE"], received);
        var sent = bed.CalleeTrace.Sent.Select(m => m.StatusCode).ToList();
        Assert.Equal([180, 200, 200], sent);
    }

    [Fact]
    public void An_ended_call_lets_go_of_its_observer_while_its_transactions_still_hold_the_call()
    {
        using var bed = new CallTestBed();
        using var answered = new ManualResetEventSlim();
        using var ended = new ManualResetEventSlim();
        (SipCall call, WeakReference observer) = PlaceWithOwnObserver(bed, answered, ended);
        Assert.True(answered.Wait(TimeSpan.FromSeconds(10)));

        Assert.True(call.HangUp());
        Assert.True(ended.Wait(TimeSpan.FromSeconds(10)));

        // The INVITE transaction keeps the call for Timer M (32 s, RFC 6026) to absorb retransmitted
        // 2xx; the observer (in the daemon: the leg, its media, its sockets) must not wait that long.
        Assert.Null(call.Observer);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(observer.IsAlive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (SipCall Call, WeakReference Observer) PlaceWithOwnObserver(CallTestBed bed, ManualResetEventSlim answered, ManualResetEventSlim ended)
    {
        var observer = new SignallingObserver(answered, ended);
        return (bed.Caller.PlaceCall(bed.Request(), observer), new WeakReference(observer));
    }

    private sealed class SignallingObserver(ManualResetEventSlim answered, ManualResetEventSlim ended) : ISipCallObserver
    {
        public void OnTrying(SipCall call)
        {
        }

        public void OnRinging(SipCall call, int statusCode, ReadOnlySpan<byte> earlyMediaSdp)
        {
        }

        public void OnAnswered(SipCall call, ReadOnlySpan<byte> sdp) => answered.Set();

        public void OnDtmf(SipCall call, char digit, int durationMs)
        {
        }

        public void OnSessionModified(SipCall call, int statusCode, ReadOnlySpan<byte> answer)
        {
        }

        public void OnFailed(SipCall call, SipCallEnd end) => ended.Set();

        public void OnEnded(SipCall call, SipCallEnd end) => ended.Set();
    }

    [Fact]
    public void Invite_carries_the_caller_id_display_name_contact_and_timer_support()
    {
        using var bed = new CallTestBed();
        var request = new SipCallRequest
        {
            Trunk = bed.Trunk,
            RequestUri = $"sip:+15551234567@127.0.0.1:{bed.Callee.LocalEndPoint.Port}",
            CallerId = "+15557654321",
            DisplayName = "Ann \"The\" Caller",
            PAssertedIdentity = "<sip:+15557654321@example.com>",
            ExtraHeaders = [new("X-Account", "AC123")],
            SdpOffer = TestSdp.Offer,
        };
        SipCall call = bed.Caller.PlaceCall(request, bed.Observer);
        bed.Observer.WaitFor("answered", call);

        var invite = bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("INVITE"), "the INVITE");
        Assert.StartsWith("INVITE sip:+15551234567@127.0.0.1:", invite.StartLine);
        Assert.StartsWith("\"Ann \\\"The\\\" Caller\" <sip:+15557654321@127.0.0.1>;tag=", invite.Header("From"));
        Assert.Equal($"<sip:+15551234567@127.0.0.1:{bed.Callee.LocalEndPoint.Port}>", invite.Header("To"));
        Assert.Equal($"<sip:dialtone@127.0.0.1:{bed.Caller.LocalEndPoint.Port}>", invite.Header("Contact"));
        Assert.Equal("<sip:+15557654321@example.com>", invite.Header("P-Asserted-Identity"));
        Assert.Equal("AC123", invite.Header("X-Account"));
        Assert.Equal("timer", invite.Header("Supported"));
        Assert.Equal("1 INVITE", invite.Header("CSeq"));
        Assert.Contains(";rport", invite.Header("Via"));
        Assert.Equal("application/sdp", invite.Header("Content-Type"));
        Assert.Equal(System.Text.Encoding.ASCII.GetString(TestSdp.Offer), invite.Body);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Callee_hangs_up_with_a_reason()
    {
        using var bed = new CallTestBed();
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        SipCall incoming = bed.Handler.TakeCall();
        bed.Handler.Observer.WaitFor("answered", incoming);

        Assert.True(incoming.HangUp());

        var ended = bed.Observer.WaitFor("ended", call);
        Assert.Equal("ended RemoteHangup", ended.Event);
        Assert.True(call.End.ByRemote);
        bed.Handler.Observer.WaitFor("ended LocalHangup", incoming);
    }

    [Fact]
    public void A_hang_up_with_a_reason_carries_it_in_the_bye()
    {
        using var bed = new CallTestBed();
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        SipCall incoming = bed.Handler.TakeCall();
        bed.Handler.Observer.WaitFor("answered", incoming);

        Assert.True(call.HangUp("SIP;cause=408;text=\"media timeout\""));

        bed.Handler.Observer.WaitFor("ended RemoteHangup", incoming);
        var bye = bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("BYE"), "the BYE");
        Assert.Equal("SIP;cause=408;text=\"media timeout\"", bye.Header("Reason"));
        Assert.Equal("media timeout", incoming.End.Reason);
        bed.Observer.WaitFor("ended", call);
        Assert.Equal(SipCallEndCause.LocalHangup, call.End.Cause);
    }

    [Fact]
    public void A_bye_reason_must_be_one_line()
    {
        using var bed = new CallTestBed();
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);

        Assert.Throws<ArgumentException>(() => call.HangUp("SIP;cause=408\r\nX-Injected: yes"));
        Assert.True(call.HangUp());
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Early_media_sdp_from_183_reaches_the_observer()
    {
        using var bed = new CallTestBed();
        bed.Handler.Script = (call, offer) => call.Ring(183, TestSdp.EarlyMedia);
        SipCall call = bed.Place();

        var ringing = bed.Observer.WaitFor("ringing 183", call);
        Assert.Contains("m=audio 41000 RTP/AVP 0", ringing.Body);
        Assert.Equal(SipCallState.Ringing, call.State);
        call.Cancel();
        bed.Observer.WaitFor("failed", call);
    }

    [Fact]
    public void Rejected_call_fails_with_the_final_code_and_is_acked()
    {
        using var bed = new CallTestBed();
        bed.Handler.Script = (call, _) => call.Reject(486, "Busy Here");
        SipCall call = bed.Place();

        var failed = bed.Observer.WaitFor("failed", call);
        Assert.Equal("failed Rejected 486", failed.Event);
        Assert.True(call.End.ByRemote);
        Assert.Equal("Busy Here", call.End.Reason);
        Assert.False(call.WasAnswered);
        bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("ACK"), "the ACK for the 486");
    }

    [Fact]
    public void Cancel_after_ringing_ends_in_487()
    {
        using var bed = new CallTestBed();
        bed.Handler.Script = (call, _) => call.Ring();
        SipCall call = bed.Place();
        bed.Observer.WaitFor("ringing", call);
        SipCall incoming = bed.Handler.TakeCall();

        Assert.True(call.Cancel());
        Assert.False(call.Cancel());

        Assert.Equal("failed Canceled 487", bed.Observer.WaitFor("failed", call).Event);
        Assert.Equal("failed RemoteCancel 487", bed.Handler.Observer.WaitFor("failed", incoming).Event);
        var cancel = bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("CANCEL"), "the CANCEL");
        Assert.Equal("1 CANCEL", cancel.Header("CSeq"));
        bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("ACK"), "the ACK for the 487");
    }

    [Fact]
    public void Cancel_before_any_provisional_waits_for_one()
    {
        // The callee neither rings nor sends 100 Trying for 5 s.
        using var bed = new CallTestBed(calleeOptions: CallTestBed.Loopback(TimeSpan.FromSeconds(5)));
        bed.Handler.Script = (_, _) => { };
        SipCall call = bed.Place();
        SipCall incoming = bed.Handler.TakeCall();

        Assert.True(call.Cancel());
        Thread.Sleep(300);
        // RFC 3261 §9.1: no CANCEL before a provisional response.
        Assert.DoesNotContain(bed.CallerTrace.Sent, m => m.IsRequest("CANCEL"));

        incoming.Ring();
        bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("CANCEL"), "the CANCEL after the 180");
        Assert.Equal("failed Canceled 487", bed.Observer.WaitFor("failed", call).Event);
        Assert.DoesNotContain(bed.Observer.EventNames(call), e => e.StartsWith("ringing", StringComparison.Ordinal));
    }

    [Fact]
    public void Ring_timeout_sends_cancel_and_ends_as_no_answer()
    {
        using var bed = new CallTestBed();
        bed.Handler.Script = (call, _) => call.Ring();
        SipCall call = bed.Place(bed.Request(ringTimeout: TimeSpan.FromMilliseconds(400)));

        var failed = bed.Observer.WaitFor("failed", call);
        Assert.Equal("failed RingTimeout 487", failed.Event);
        bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("CANCEL"), "the CANCEL");
    }

    [Fact]
    public void Dtmf_info_travels_both_ways()
    {
        using var bed = new CallTestBed();
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        SipCall incoming = bed.Handler.TakeCall();
        bed.Handler.Observer.WaitFor("answered", incoming);

        Assert.True(call.SendDtmf('5', 160));
        Assert.Equal("dtmf 5 160", bed.Handler.Observer.WaitFor("dtmf", incoming).Event);
        Assert.True(incoming.SendDtmf('#', 250));
        Assert.Equal("dtmf # 250", bed.Observer.WaitFor("dtmf", call).Event);
        var info = bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("INFO"), "the INFO");
        Assert.Equal("application/dtmf-relay", info.Header("Content-Type"));
        Assert.Equal("Signal=5\r\nDuration=160\r\n", info.Body);
        Assert.Equal("2 INFO", info.Header("CSeq"));
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Reinvite_hold_gets_a_mirrored_answer_and_resume_restores_it()
    {
        using var bed = new CallTestBed();
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        SipCall incoming = bed.Handler.TakeCall();
        bed.Handler.Observer.WaitFor("answered", incoming);

        Assert.True(call.Reinvite(TestSdp.HoldOffer));
        var held = bed.Observer.WaitFor("modified", call);
        Assert.Equal("modified 200", held.Event);
        // RFC 3264 §8.4: sendonly is answered recvonly; the callee's o= version moved on.
        Assert.Equal("recvonly", TestSdp.DirectionOf(System.Text.Encoding.ASCII.GetBytes(held.Body)));
        Assert.Contains("o=- 2000 2 IN IP4 127.0.0.1", held.Body);
        Assert.Equal("offer", bed.Handler.Observer.WaitFor("offer", incoming).Event);

        Assert.True(call.Reinvite(TestSdp.ResumeOffer));
        bed.Observer.WaitFor("modified", call);
        var resumed = bed.Observer.Events.Where(e => e.Call == call && e.Event.StartsWith("modified", StringComparison.Ordinal)).Last();
        TestBedWait.Until(() => bed.Observer.Events.Count(e => e.Call == call && e.Event == "modified 200") == 2, "the second re-INVITE");
        resumed = bed.Observer.Events.Where(e => e.Call == call && e.Event == "modified 200").Last();
        Assert.Equal("sendrecv", TestSdp.DirectionOf(System.Text.Encoding.ASCII.GetBytes(resumed.Body)));
        // Each 2xx to a re-INVITE gets its own ACK.
        bed.CalleeTrace.WaitForCount(m => !m.Outgoing && m.IsRequest("ACK"), 3, "three ACKs");
        Assert.Equal(SipCallState.Answered, call.State);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Reinvite_answer_can_come_from_the_observer()
    {
        using var bed = new CallTestBed();
        bed.Handler.Observer.OfferAnswerer = offer => TestSdp.AnswerTo(offer, rtpPort: 43000);
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        SipCall incoming = bed.Handler.TakeCall();
        bed.Handler.Observer.WaitFor("answered", incoming);

        call.Reinvite(TestSdp.HoldOffer);
        var modified = bed.Observer.WaitFor("modified", call);
        Assert.Contains("m=audio 43000 ", modified.Body);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Options_are_answered_in_and_out_of_dialog()
    {
        using var bed = new CallTestBed();
        using var peer = new Transactions.UdpPeer();
        peer.SendTo(Transactions.SipTemplates.Transaction("options.sip", ("layerPort", bed.Callee.LocalEndPoint.Port), ("peerPort", peer.Port),
            ("branch", "z9hG4bKopt1"), ("callId", "opt-1"), ("cseq", 1)), bed.Callee.LocalEndPoint);
        string? answer = peer.Receive();
        Assert.NotNull(answer);
        Assert.StartsWith("SIP/2.0 200 OK\r\n", answer);
        Assert.Contains("\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO\r\n", answer);
        Assert.Contains("\r\nSupported: timer\r\n", answer);
    }
}
