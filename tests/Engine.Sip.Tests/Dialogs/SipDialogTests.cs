using System.Net;
using System.Text;
using Dialtone.Engine.Sip.Dialogs;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Tests.Transactions;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Dialogs;

public sealed class SipDialogTests
{
    private static readonly SipDestination Fallback = new(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Parse("198.51.100.1"), 5060).Serialize());

    private static SipMessage Parse(string name)
    {
        var message = new SipMessage();
        byte[] bytes = SipTemplates.Load("Dialogs", name);
        Assert.True(message.Parse(bytes).IsSuccess);
        return message;
    }

    private static SipDialog UacDialog(string response)
    {
        var message = Parse(response);
        var dialog = new SipDialog();
        message.TryGetFrom(out var from);
        dialog.InitializeAsUac(message.CallId, message.GetValue(SipHeaderId.From), from.Tag, 1, message, Fallback);
        return dialog;
    }

    private static string Head(SipDialog dialog, SipMethod method)
    {
        var buffer = new SipMessageBuffer();
        var writer = new SipMessageWriter(buffer);
        dialog.WriteRequestHead(ref writer, method, dialog.NextLocalCSeq(), "UDP"u8, "10.0.0.5"u8, 5060, "z9hG4bKtest"u8);
        writer.WriteEmptyBody();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Uac_route_set_is_the_record_route_reversed_and_requests_go_to_the_first_loose_router()
    {
        SipDialog dialog = UacDialog("ok-with-record-route.sip");

        // RFC 3261 §12.1.2: the UAC reverses Record-Route, across lines and commas.
        Assert.Equal("<sip:10.1.1.1;lr>, <sip:10.1.1.2:5070;lr;transport=tcp>, <sip:edge-b.carrier.test;lr>", Encoding.ASCII.GetString(dialog.RouteSet));
        Assert.Equal("sip:gw7@192.0.2.44:5062;transport=udp", Encoding.ASCII.GetString(dialog.RemoteTarget));
        Assert.Equal("carrier-tag", Encoding.ASCII.GetString(dialog.RemoteTag));
        Assert.True(dialog.RemoteAllowsUpdate);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.1.1.1"), 5060), (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(dialog.NextHop.Address));

        string bye = Head(dialog, SipMethod.Bye);
        // §12.2.1.1: loose routing keeps the remote target as Request-URI and the route set as Route.
        Assert.StartsWith("BYE sip:gw7@192.0.2.44:5062;transport=udp SIP/2.0\r\n", bye);
        Assert.Contains("\r\nRoute: <sip:10.1.1.1;lr>, <sip:10.1.1.2:5070;lr;transport=tcp>, <sip:edge-b.carrier.test;lr>\r\n", bye);
        Assert.Contains("\r\nFrom: \"Alice\" <sip:+15550001111@10.0.0.5>;tag=0000000100000001\r\n", bye);
        Assert.Contains("\r\nTo: <sip:+15551234567@carrier.test>;tag=carrier-tag\r\n", bye);
        Assert.Contains("\r\nCSeq: 2 BYE\r\n", bye);
        Assert.Contains("\r\nCall-ID: dialog-test-1\r\n", bye);
    }

    [Fact]
    public void A_strict_router_takes_the_request_uri_and_the_target_goes_last_in_route()
    {
        SipDialog dialog = UacDialog("ok-strict-router.sip");
        string info = Head(dialog, SipMethod.Info);

        // §12.2.1.1 / §16.12.1.2: the strict router's URI is the Request-URI.
        Assert.StartsWith("INFO sip:192.0.2.10:5080 SIP/2.0\r\n", info);
        Assert.Contains("\r\nRoute: <sip:200@192.0.2.44>\r\n", info);
        Assert.Equal(5080, SipSocketAddressSlot.GetPort(dialog.NextHop.Address));
    }

    [Fact]
    public void A_target_named_by_host_uses_the_fallback_destination()
    {
        SipDialog dialog = UacDialog("ok-no-routes.sip");
        Assert.Equal("sip:200@gateway.carrier.test:5070", Encoding.ASCII.GetString(dialog.RequestUri));
        Assert.Same(Fallback.Address, dialog.NextHop.Address);
        Assert.DoesNotContain("Route:", Head(dialog, SipMethod.Bye));
    }

    [Fact]
    public void Uas_dialog_keeps_record_route_in_order_and_tags_our_side()
    {
        var invite = Parse("invite-received.sip");
        var dialog = new SipDialog();
        dialog.InitializeAsUas(invite, "0000000200000002"u8, Fallback);

        // §12.1.1: the UAS keeps Record-Route in order; the remote CSeq is the INVITE's.
        Assert.Equal("<sip:10.1.1.1;lr>, <sip:edge-b.carrier.test;lr>", Encoding.ASCII.GetString(dialog.RouteSet));
        Assert.Equal(42u, dialog.RemoteCSeq);
        Assert.Equal("<sip:+15550001111@10.0.0.5>;tag=0000000200000002", Encoding.ASCII.GetString(dialog.LocalParty));
        Assert.Equal("\"Caller\" <sip:+15559990000@carrier.test>;tag=caller-tag", Encoding.ASCII.GetString(dialog.RemoteParty));
        Assert.False(dialog.RemoteAllowsUpdate);

        string bye = Head(dialog, SipMethod.Bye);
        Assert.StartsWith("BYE sip:caller@192.0.2.44:5062 SIP/2.0\r\n", bye);
        Assert.Contains("\r\nCSeq: 1 BYE\r\n", bye);
        Assert.Contains("\r\nRoute: <sip:10.1.1.1;lr>, <sip:edge-b.carrier.test;lr>\r\n", bye);
    }

    [Fact]
    public void Remote_cseq_must_not_go_backwards()
    {
        var invite = Parse("invite-received.sip");
        var dialog = new SipDialog();
        dialog.InitializeAsUas(invite, "0000000200000002"u8, Fallback);

        // §12.2.2: lower than the remote CSeq is out of order; equal or higher is accepted.
        Assert.True(dialog.AcceptRemoteCSeq(43));
        Assert.False(dialog.AcceptRemoteCSeq(42));
        Assert.True(dialog.AcceptRemoteCSeq(100));
        Assert.Equal(100u, dialog.RemoteCSeq);
    }

    [Fact]
    public void A_uac_dialog_has_no_remote_cseq_until_the_first_request()
    {
        SipDialog dialog = UacDialog("ok-no-routes.sip");
        Assert.False(dialog.HasRemoteCSeq);
        // §12.1.2: any first CSeq is fine (the peer's numbering is its own).
        Assert.True(dialog.AcceptRemoteCSeq(1));
        Assert.True(dialog.HasRemoteCSeq);
    }

    [Fact]
    public void A_target_refresh_changes_the_target_but_never_the_route_set()
    {
        SipDialog dialog = UacDialog("ok-with-record-route.sip");
        var refresh = Parse("invite-received.sip");
        dialog.RefreshTarget(refresh);
        Assert.Equal("sip:caller@192.0.2.44:5062", Encoding.ASCII.GetString(dialog.RemoteTarget));
        Assert.StartsWith("<sip:10.1.1.1;lr>, <sip:10.1.1.2", Encoding.ASCII.GetString(dialog.RouteSet));
    }

    [Fact]
    public void Forgetting_the_remote_side_keeps_ours_for_a_new_attempt()
    {
        SipDialog dialog = UacDialog("ok-with-record-route.sip");
        dialog.ForgetRemote();
        Assert.False(dialog.IsEstablished);
        Assert.True(dialog.RouteSet.IsEmpty);
        Assert.Equal("dialog-test-1", Encoding.ASCII.GetString(dialog.CallId));
        Assert.Equal("0000000100000001", Encoding.ASCII.GetString(dialog.LocalTag));
    }

    [Fact]
    public void Writing_a_request_in_a_dialog_allocates_nothing()
    {
        SipDialog dialog = UacDialog("ok-with-record-route.sip");
        var buffer = new SipMessageBuffer();
        void Write()
        {
            buffer.Clear();
            var writer = new SipMessageWriter(buffer);
            dialog.WriteRequestHead(ref writer, SipMethod.Bye, dialog.NextLocalCSeq(), "UDP"u8, "10.0.0.5"u8, 5060, "z9hG4bKtest"u8);
            writer.WriteEmptyBody();
            writer.Flush();
        }
        Assert.Equal(0, SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 1000; i++)
                Write();
        }));
    }

    [Fact]
    public void A_pooled_dialog_reused_for_another_call_allocates_nothing()
    {
        var response = Parse("ok-with-record-route.sip");
        var dialog = new SipDialog();
        void Cycle()
        {
            response.TryGetFrom(out var from);
            dialog.InitializeAsUac(response.CallId, response.GetValue(SipHeaderId.From), from.Tag, 1, response, Fallback);
            dialog.Reset();
        }
        Assert.Equal(0, SteadyStateAllocation.Measure(() =>
        {
            for (int i = 0; i < 1000; i++)
                Cycle();
        }));
    }
}
