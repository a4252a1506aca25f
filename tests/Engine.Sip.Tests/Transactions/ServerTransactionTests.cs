using Dialtone.Engine.Sip.Transactions;

namespace Dialtone.Engine.Sip.Tests.Transactions;

public sealed class ServerTransactionTests
{
    private static double[] SentTimes(TransactionTestBed bed, int status) =>
        bed.Trace.Sent.Where(m => m.IsResponse(status)).Select(m => m.At.TotalMilliseconds).ToArray();

    [Fact]
    public void Invite_server_sends_100_trying_after_200_ms_when_the_tu_is_silent()
    {
        using var bed = new TransactionTestBed();
        bed.SendToLayer(bed.PeerRequest("invite.sip", "z9hG4bKtrying1", bed.NewCallId()));
        var (tx, _) = bed.Handler.TakeRequest();

        bed.Advance(TimeSpan.FromMilliseconds(190));
        Assert.Empty(bed.Trace.Sent);
        bed.Advance(TimeSpan.FromMilliseconds(10));

        // §17.2.1: 100 Trying when the TU has not answered within 200 ms; no To tag (§8.2.6.1).
        var trying = Assert.Single(bed.Trace.Sent);
        Assert.True(trying.IsResponse(100));
        Assert.Equal("<sip:bob@127.0.0.1>", trying.Header("To"));
        Assert.Equal(200, trying.At.TotalMilliseconds);
        tx.Release();
    }

    [Fact]
    public void Invite_server_sends_100_at_once_when_configured_and_not_again_after_a_provisional()
    {
        using var bed = new TransactionTestBed(new SipTransactionOptions { TryingDelay = TimeSpan.Zero });
        bed.SendToLayer(bed.PeerRequest("invite.sip", "z9hG4bKtrying2", bed.NewCallId()));
        var (tx, _) = bed.Handler.TakeRequest();

        Assert.True(bed.Trace.WaitFor(m => m.Outgoing, "the 100").IsResponse(100));
        tx.Respond(180, "uas"u8);
        bed.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, bed.Trace.Sent.Count);
        tx.Release();
    }

    [Fact]
    public void Retransmitted_invite_reaches_the_tu_once_and_gets_the_last_provisional_again()
    {
        using var bed = new TransactionTestBed();
        byte[] invite = bed.PeerRequest("invite.sip", "z9hG4bKretrans", bed.NewCallId());
        bed.SendToLayer(invite);
        var (tx, _) = bed.Handler.TakeRequest();
        tx.Respond(180, "uas"u8);

        bed.SendToLayer(invite);
        bed.Trace.WaitForCount(m => m.Outgoing && m.IsResponse(180), 2, "the 180 again");
        bed.SendToLayer(invite);
        bed.Trace.WaitForCount(m => m.Outgoing && m.IsResponse(180), 3, "the 180 a third time");

        Assert.Empty(bed.Handler.Requests);
        Assert.Equal(2, bed.Counters.RetransmissionsReceived);
        Assert.Equal(1, bed.Layer.ServerTransactionCount);
        tx.Release();
    }

    [Fact]
    public void Invite_server_retransmits_a_final_error_on_Timer_G_until_the_ack_then_waits_Timer_I()
    {
        using var bed = new TransactionTestBed();
        string callId = bed.NewCallId();
        bed.SendToLayer(bed.PeerRequest("invite.sip", "z9hG4bKtimerg", callId));
        var (tx, _) = bed.Handler.TakeRequest();
        tx.Respond(486, "uas"u8);

        bed.Advance(TimeSpan.FromMilliseconds(12000));
        // §17.2.1: G starts at T1, doubles, capped at T2.
        Assert.Equal([0, 500, 1500, 3500, 7500, 11500], SentTimes(bed, 486));

        bed.SendToLayer(bed.PeerRequest("ack.sip", "z9hG4bKtimerg", callId, toTag: "uas"));
        TransactionTestBed.WaitUntil(() => tx.State == SipTransactionState.Confirmed, "the ACK to confirm");
        bed.Advance(TimeSpan.FromMilliseconds(4990));
        // The ACK for a non-2xx is absorbed by the transaction, never passed up.
        Assert.Empty(bed.Handler.Acks);
        Assert.Equal(6, SentTimes(bed, 486).Length);
        Assert.Equal(SipTransactionState.Confirmed, tx.State);
        bed.Advance(TimeSpan.FromMilliseconds(10));
        // Timer I = T4.
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        tx.Release();
        Assert.Equal(0, bed.Layer.ServerTransactionCount);
    }

    [Fact]
    public void Invite_server_Timer_H_reports_a_missing_ack()
    {
        using var bed = new TransactionTestBed();
        bed.SendToLayer(bed.PeerRequest("invite.sip", "z9hG4bKtimerh", bed.NewCallId()));
        var (tx, _) = bed.Handler.TakeRequest();
        tx.Respond(603, "uas"u8);

        bed.Advance(TimeSpan.FromMilliseconds(31990));
        Assert.Empty(bed.Handler.Timeouts);
        bed.Advance(TimeSpan.FromMilliseconds(10));

        Assert.Equal([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500], SentTimes(bed, 603));
        Assert.Single(bed.Handler.Timeouts);
        Assert.Equal(1, bed.Counters.TransactionTimeouts);
        tx.Release();
        Assert.Equal(0, bed.Layer.ServerTransactionCount);
    }

    [Fact]
    public void Invite_server_accepted_state_absorbs_invite_retransmissions_and_passes_acks_up()
    {
        using var bed = new TransactionTestBed();
        string callId = bed.NewCallId();
        byte[] invite = bed.PeerRequest("invite.sip", "z9hG4bKaccepted", callId);
        bed.SendToLayer(invite);
        var (tx, _) = bed.Handler.TakeRequest();
        tx.Respond(200, "uas"u8);
        Assert.Equal(SipTransactionState.Accepted, tx.State);

        // RFC 6026 §7.1: retransmitted INVITEs are absorbed (the TU retransmits the 2xx itself).
        bed.SendToLayer(invite);
        TransactionTestBed.WaitUntil(() => bed.Counters.RetransmissionsReceived == 1, "the retransmission");
        Assert.Single(bed.Trace.Sent);
        Assert.Empty(bed.Handler.Requests);

        // The ACK for a 2xx is a transaction of its own (new branch): it reaches the TU.
        bed.SendToLayer(bed.PeerRequest("ack.sip", "z9hG4bKackfor2xx", callId, toTag: "uas"));
        Assert.True(bed.Handler.Acks.TryTake(out _, TimeSpan.FromSeconds(10)));

        bed.Advance(TimeSpan.FromMilliseconds(31990));
        Assert.Equal(SipTransactionState.Accepted, tx.State);
        bed.Advance(TimeSpan.FromMilliseconds(10));
        // Timer L = 64*T1.
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        tx.Release();
    }

    [Fact]
    public void Non_invite_server_resends_its_final_response_until_Timer_J()
    {
        using var bed = new TransactionTestBed();
        bed.Handler.OnNewRequest = (tx, _) => tx.Respond(200, "uas"u8);
        byte[] options = bed.PeerRequest("options.sip", "z9hG4bKtimerj", bed.NewCallId());
        bed.SendToLayer(options);
        bed.Handler.TakeRequest();
        bed.Trace.WaitFor(m => m.Outgoing && m.IsResponse(200), "the 200");

        bed.SendToLayer(options);
        bed.Trace.WaitForCount(m => m.Outgoing && m.IsResponse(200), 2, "the 200 again");
        Assert.Empty(bed.Handler.Requests);

        bed.Advance(TimeSpan.FromMilliseconds(31990));
        Assert.Equal(1, bed.Layer.ServerTransactionCount);
        bed.Advance(TimeSpan.FromMilliseconds(10));
        // Timer J = 64*T1 over UDP.
        Assert.Equal(0, bed.Layer.ServerTransactionCount);
    }

    [Fact]
    public void Responses_go_to_the_source_port_with_received_and_rport_filled()
    {
        using var bed = new TransactionTestBed();
        bed.SendToLayer(bed.PeerRequest("invite.sip", "z9hG4bKrport", bed.NewCallId()));
        var (tx, _) = bed.Handler.TakeRequest();
        tx.Respond(180, "uas"u8);

        // RFC 3581 §4: received and the source port in rport; the response travels back to it.
        string? arrived = bed.Peer.Receive();
        Assert.NotNull(arrived);
        Assert.Contains($"Via: SIP/2.0/UDP 127.0.0.1:{bed.Peer.Port};branch=z9hG4bKrport;received=127.0.0.1;rport={bed.Peer.Port}\r\n", arrived);
        Assert.Contains("To: <sip:bob@127.0.0.1>;tag=uas\r\n", arrived);
        tx.Release();
    }

    [Fact]
    public void Cancel_matches_its_invite_and_both_are_answered()
    {
        using var bed = new TransactionTestBed();
        string callId = bed.NewCallId();
        bed.SendToLayer(bed.PeerRequest("invite.sip", "z9hG4bKcancelme", callId));
        var (tx, _) = bed.Handler.TakeRequest();

        bed.SendToLayer(bed.PeerRequest("cancel.sip", "z9hG4bKcancelme", callId));
        Assert.True(bed.Handler.Cancels.TryTake(out var cancelled, TimeSpan.FromSeconds(10)));
        Assert.Same(tx, cancelled);
        var ok = bed.Trace.WaitFor(m => m.Outgoing && m.IsResponse(200), "the 200 for the CANCEL");
        Assert.Equal("1 CANCEL", ok.Header("CSeq"));
        var terminated = bed.Trace.WaitFor(m => m.Outgoing && m.IsResponse(487), "the 487");
        Assert.Equal("1 INVITE", terminated.Header("CSeq"));

        // The ACK for the 487 carries the INVITE's branch and is absorbed.
        bed.SendToLayer(bed.PeerRequest("ack.sip", "z9hG4bKcancelme", callId, toTag: "uas-tag"));
        TransactionTestBed.WaitUntil(() => tx.State == SipTransactionState.Confirmed, "the ACK");
        Assert.Empty(bed.Handler.Acks);
        tx.Release();
        bed.Advance(TimeSpan.FromSeconds(33));
        Assert.Equal(0, bed.Layer.ServerTransactionCount);
    }

    [Fact]
    public void Cancel_for_an_unknown_invite_gets_481()
    {
        using var bed = new TransactionTestBed();
        bed.SendToLayer(bed.PeerRequest("cancel.sip", "z9hG4bKnobody", bed.NewCallId()));
        var answer = bed.Trace.WaitFor(m => m.Outgoing, "an answer");
        Assert.True(answer.IsResponse(481));
        Assert.Equal(1, bed.Counters.Drops(SipDropReason.NoSuchDialog));
    }

    [Fact]
    public void Rfc2543_request_without_branch_cookie_still_matches_its_retransmission()
    {
        using var bed = new TransactionTestBed();
        byte[] invite = bed.PeerRequest("invite-rfc2543.sip", "", bed.NewCallId());
        bed.SendToLayer(invite);
        var (tx, _) = bed.Handler.TakeRequest();
        tx.Respond(180, "uas"u8);
        bed.SendToLayer(invite);
        bed.Trace.WaitForCount(m => m.Outgoing && m.IsResponse(180), 2, "the 180 again");
        Assert.Empty(bed.Handler.Requests);
        tx.Release();
    }

    [Fact]
    public void A_request_the_tu_neither_answers_nor_keeps_gets_500()
    {
        using var bed = new TransactionTestBed();
        bed.Handler.OnNewRequest = (_, _) => { };
        bed.SendToLayer(bed.PeerRequest("options.sip", "z9hG4bKignored", bed.NewCallId()));
        Assert.True(bed.Trace.WaitFor(m => m.Outgoing, "an answer").IsResponse(500));
        bed.Advance(TimeSpan.FromSeconds(33));
        Assert.Equal(0, bed.Layer.ServerTransactionCount);
    }

    [Fact]
    public void Answers_later_from_a_kept_copy_of_the_request()
    {
        using var bed = new TransactionTestBed();
        bed.SendToLayer(bed.PeerRequest("invite.sip", "z9hG4bKlater", bed.NewCallId()));
        var (tx, _) = bed.Handler.TakeRequest();
        // Flood the receive buffer with another message first: the transaction must not read it.
        bed.SendToLayer(bed.PeerRequest("options.sip", "z9hG4bKother", bed.NewCallId()));
        var (other, _) = bed.Handler.TakeRequest();

        tx.Respond(486, "uas"u8);
        var busy = bed.Trace.WaitFor(m => m.Outgoing && m.IsResponse(486), "the 486");
        Assert.Equal("1 INVITE", busy.Header("CSeq"));
        Assert.Contains("z9hG4bKlater", busy.Header("Via"));
        tx.Release();
        other.Release();
    }
}
