using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transactions;

public sealed class ClientTransactionTests
{
    private static double[] SentTimes(TransactionTestBed bed, string method) =>
        bed.Trace.Sent.Where(m => m.IsRequest(method)).Select(m => m.At.TotalMilliseconds).ToArray();

    [Fact]
    public void Retransmits_invite_on_T1_doubling_until_Timer_B_ends_it_at_64_T1()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        var tx = bed.StartClient(SipMethod.Invite, owner, bed.NewCallId());

        bed.Advance(TimeSpan.FromMilliseconds(31990));
        Assert.Empty(owner.Timeouts);
        bed.Advance(TimeSpan.FromMilliseconds(10));

        // RFC 3261 §17.1.1.2: A starts at T1 and doubles; B = 64*T1 = 32 s.
        Assert.Equal([0, 500, 1500, 3500, 7500, 15500, 31500], SentTimes(bed, "INVITE"));
        Assert.Single(owner.Timeouts);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(1, bed.Counters.TransactionTimeouts);
        Assert.Equal(6, bed.Counters.RetransmissionsSent);
        tx.Release();
        Assert.Equal(0, bed.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Retransmits_non_invite_on_T1_doubling_capped_at_T2_until_Timer_F()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        var tx = bed.StartClient(SipMethod.Options, owner, bed.NewCallId());

        bed.Advance(TimeSpan.FromMilliseconds(31990));
        Assert.Empty(owner.Timeouts);
        bed.Advance(TimeSpan.FromMilliseconds(10));

        // §17.1.2.2: E doubles from T1 up to T2 = 4 s; F = 64*T1.
        Assert.Equal([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500], SentTimes(bed, "OPTIONS"));
        Assert.Single(owner.Timeouts);
        tx.Release();
        Assert.Equal(0, bed.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Non_invite_in_proceeding_retransmits_every_T2()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        string callId = bed.NewCallId();
        var tx = bed.StartClient(SipMethod.Bye, owner, callId);

        bed.Advance(TimeSpan.FromMilliseconds(600));
        bed.SendToLayer(bed.ResponseTo(tx, 100, callId, toTag: null));
        Assert.Equal(100, owner.TakeResponse().Status);
        bed.Advance(TimeSpan.FromMilliseconds(12000));

        // The pending E fires at 1.5 s as scheduled; from then on every T2 (§17.1.2.2, Proceeding).
        Assert.Equal([0, 500, 1500, 5500, 9500], SentTimes(bed, "BYE"));
        Assert.Equal(SipTransactionState.Proceeding, tx.State);
        tx.Release();
    }

    [Fact]
    public async Task Reliable_transport_sends_once_and_still_times_out()
    {
        using var bed = new TransactionTestBed(tcp: true);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = listener.AcceptSocketAsync();
        var owner = new RecordingClientOwner();
        var destination = new SipDestination(SipTransportProtocol.Tcp, ((IPEndPoint)listener.LocalEndpoint).Serialize());
        var tx = bed.StartClient(SipMethod.Invite, owner, bed.NewCallId(), destination: destination);
        using var peer = await accept;

        bed.Advance(TimeSpan.FromSeconds(32));

        // §17.1.1.2: Timer A only over unreliable transports; B applies to all.
        Assert.Equal([0], SentTimes(bed, "INVITE"));
        Assert.Single(owner.Timeouts);
        tx.Release();
    }

    [Fact]
    public void Invite_client_acks_a_final_error_and_absorbs_its_retransmissions_until_Timer_D()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        string callId = bed.NewCallId();
        var tx = bed.StartClient(SipMethod.Invite, owner, callId, cseq: 7);
        byte[] busy = bed.ResponseTo(tx, 486, callId, cseq: 7);

        bed.SendToLayer(busy);
        Assert.Equal(486, owner.TakeResponse().Status);
        var ack = bed.Trace.WaitFor(m => m.Outgoing && m.IsRequest("ACK"), "the ACK");
        bed.SendToLayer(busy);
        bed.Trace.WaitForCount(m => m.Outgoing && m.IsRequest("ACK"), 2, "a second ACK");

        // §17.1.1.3: same branch as the INVITE, CSeq number with method ACK, the response's To tag.
        Assert.Contains(System.Text.Encoding.ASCII.GetString(tx.Branch), ack.Header("Via"));
        Assert.Equal("7 ACK", ack.Header("CSeq"));
        Assert.EndsWith(";tag=peer-tag", ack.Header("To"));
        Assert.Empty(owner.Responses);
        Assert.Equal(SipTransactionState.Completed, tx.State);

        bed.Advance(TimeSpan.FromMilliseconds(31990));
        Assert.Equal(1, bed.Layer.ClientTransactionCount);
        bed.Advance(TimeSpan.FromMilliseconds(10));
        // Timer D: 32 s over UDP.
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        tx.Release();
        Assert.Equal(0, bed.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Invite_client_accepted_state_passes_every_2xx_up_until_Timer_M()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        string callId = bed.NewCallId();
        var tx = bed.StartClient(SipMethod.Invite, owner, callId);
        byte[] ok = bed.ResponseTo(tx, 200, callId);

        bed.SendToLayer(ok);
        Assert.Equal(200, owner.TakeResponse().Status);
        Assert.Equal(SipTransactionState.Accepted, tx.State);
        // RFC 6026 §8.4: retransmissions and other forks' 2xx go to the TU, which ACKs each.
        bed.SendToLayer(ok);
        Assert.Equal(200, owner.TakeResponse().Status);
        bed.SendToLayer(bed.ResponseTo(tx, 200, callId, toTag: "second-fork"));
        Assert.Contains("second-fork", owner.TakeResponse().Text);
        // No ACK from the transaction itself: the ACK for a 2xx belongs to the TU (§13.2.2.4).
        Assert.DoesNotContain(bed.Trace.Sent, m => m.IsRequest("ACK"));
        // A provisional after the 2xx is absorbed.
        bed.SendToLayer(bed.ResponseTo(tx, 180, callId));
        TransactionTestBed.WaitUntil(() => bed.Counters.ResponsesReceived(1) == 1, "the 180 to be seen");
        Assert.Empty(owner.Responses);

        bed.Advance(TimeSpan.FromSeconds(32));
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        tx.Release();
        Assert.Equal(0, bed.Layer.ClientTransactionCount);

        // Once the transaction is gone a 2xx is stray (RFC 6026 §8.4 / RFC 3261 §18.1.2).
        long strays = bed.Counters.Drops(SipDropReason.StrayResponse);
        bed.SendToLayer(ok);
        TransactionTestBed.WaitUntil(() => bed.Counters.Drops(SipDropReason.StrayResponse) == strays + 1, "the late 200 to be dropped");
        Assert.Empty(owner.Responses);
    }

    [Fact]
    public void Non_invite_client_absorbs_final_retransmissions_until_Timer_K()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        string callId = bed.NewCallId();
        var tx = bed.StartClient(SipMethod.Options, owner, callId);
        byte[] ok = bed.ResponseTo(tx, 200, callId);

        bed.SendToLayer(ok);
        Assert.Equal(200, owner.TakeResponse().Status);
        bed.SendToLayer(ok);
        TransactionTestBed.WaitUntil(() => bed.Counters.RetransmissionsReceived == 1, "the retransmission to be absorbed");
        Assert.Empty(owner.Responses);

        bed.Advance(TimeSpan.FromMilliseconds(4990));
        Assert.Equal(SipTransactionState.Completed, tx.State);
        bed.Advance(TimeSpan.FromMilliseconds(10));
        // Timer K = T4 = 5 s over UDP.
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        // No retransmission was sent after the final response.
        Assert.Equal([0], SentTimes(bed, "OPTIONS"));
        tx.Release();
    }

    [Fact]
    public void Responses_for_another_branch_or_method_are_dropped_as_stray()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        string callId = bed.NewCallId();
        var tx = bed.StartClient(SipMethod.Options, owner, callId);

        // Same branch, other method (§17.1.3 matches on both).
        bed.SendToLayer(bed.ResponseTo(tx, 200, callId, method: "BYE"));
        // A branch we never sent.
        bed.SendToLayer(SipTemplates.Transaction("response.sip", ("status", 200), ("reason", "OK"), ("layerPort", bed.LayerPort),
            ("branch", "z9hG4bK0123456789abcdef"), ("toTagParam", ""), ("callId", callId), ("cseq", 1), ("method", "OPTIONS")));
        // Someone else's branch format entirely.
        bed.SendToLayer(SipTemplates.Transaction("response.sip", ("status", 200), ("reason", "OK"), ("layerPort", bed.LayerPort),
            ("branch", "z9hG4bK-not-ours"), ("toTagParam", ""), ("callId", callId), ("cseq", 1), ("method", "OPTIONS")));

        TransactionTestBed.WaitUntil(() => bed.Counters.Drops(SipDropReason.StrayResponse) == 3, "three stray responses");
        Assert.Empty(owner.Responses);
        Assert.Equal(SipTransactionState.Trying, tx.State);
        tx.Release();
    }

    [Fact]
    public void Cancel_waits_for_a_provisional_and_shares_the_invite_branch()
    {
        using var bed = new TransactionTestBed();
        var owner = new RecordingClientOwner();
        var cancelOwner = new RecordingClientOwner();
        string callId = bed.NewCallId();
        var invite = bed.StartClient(SipMethod.Invite, owner, callId, cseq: 3);

        // §9.1: no CANCEL before a provisional response.
        Assert.Null(bed.Layer.SendCancel(invite, cancelOwner));

        bed.SendToLayer(bed.ResponseTo(invite, 180, callId, cseq: 3));
        Assert.Equal(180, owner.TakeResponse().Status);
        var cancel = bed.Layer.SendCancel(invite, cancelOwner);
        Assert.NotNull(cancel);
        var sent = bed.Trace.WaitFor(m => m.Outgoing && m.IsRequest("CANCEL"), "the CANCEL");
        Assert.Equal("3 CANCEL", sent.Header("CSeq"));
        Assert.Contains(System.Text.Encoding.ASCII.GetString(invite.Branch), sent.Header("Via"));
        Assert.Equal(invite.Branch.ToArray(), cancel.Branch.ToArray());

        // The 200 for the CANCEL and the 487 for the INVITE go to their own transactions.
        bed.SendToLayer(bed.ResponseTo(cancel, 200, callId, cseq: 3));
        Assert.Equal(200, cancelOwner.TakeResponse().Status);
        bed.SendToLayer(bed.ResponseTo(invite, 487, callId, cseq: 3));
        Assert.Equal(487, owner.TakeResponse().Status);
        bed.Trace.WaitFor(m => m.Outgoing && m.IsRequest("ACK"), "the ACK for the 487");

        bed.Advance(TimeSpan.FromSeconds(33));
        invite.Release();
        cancel.Release();
        Assert.Equal(0, bed.Layer.ClientTransactionCount);
    }

    [Fact]
    public void Tcp_connect_failure_fails_the_transaction_at_once()
    {
        using var bed = new TransactionTestBed(tcp: true);
        // A port that was just free: connecting to it is refused.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closed = (IPEndPoint)probe.LocalEndpoint;
        probe.Stop();
        var owner = new RecordingClientOwner();
        var tx = bed.StartClient(SipMethod.Options, owner, bed.NewCallId(), destination: new SipDestination(SipTransportProtocol.Tcp, closed.Serialize()));

        // The failure is reported from the connect task; the transaction then schedules its end
        // on the wheel (Timer F and the failure: two timers).
        TransactionTestBed.WaitUntil(() => bed.Transport.Counters.SendFailures == 1 && bed.Layer.Wheel.PendingCount == 2, "the connect to fail");
        bed.Advance(TimeSpan.FromMilliseconds(20));

        // §17.1.4: at once, not after Timer F.
        Assert.Single(owner.TransportErrors);
        Assert.Empty(owner.Timeouts);
        Assert.Equal(SipTransactionState.Terminated, tx.State);
        Assert.Equal(1, bed.Counters.TransportErrors);
        tx.Release();
        Assert.Equal(0, bed.Layer.ClientTransactionCount);
    }
}
