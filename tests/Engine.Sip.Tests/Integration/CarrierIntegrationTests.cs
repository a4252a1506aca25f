using System.Net;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Tests.Peers;
using Dialtone.Engine.Sip.Tests.Transactions;
using Dialtone.Engine.Sip.Tests.UserAgent;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.Integration;

/// <summary>
/// Our user agent against real peers on loopback: kamailio as the carrier trunk (407 digest,
/// record-route) in front of baresip as the callee. The peers start once for the class.
/// </summary>
[Collection("real peers")]
public sealed class CarrierIntegrationTests : IClassFixture<CarrierChain>, IDisposable
{
    private readonly CarrierChain _chain;
    private readonly SipUserAgent _agent;
    private readonly MessageRecorder _trace;
    private readonly RecordingCallObserver _observer = new();

    public CarrierIntegrationTests(CarrierChain chain)
    {
        _chain = chain;
        _agent = new SipUserAgent(new SipUserAgentOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        _trace = new MessageRecorder(TimeProvider.System);
        _agent.Tap = _trace;
    }

    private SipTrunk Trunk(string password = KamailioPeer.Password, SipTransportProtocol transport = SipTransportProtocol.Udp) => _agent.AddTrunk(new SipTrunkOptions
    {
        Name = "kamailio",
        Host = "127.0.0.1",
        Port = _chain.Kamailio.Port,
        Transport = transport,
        Credentials = new DigestCredentials("trunkuser", password),
    });

    private SipCall Call(SipTrunk trunk, string user, TimeSpan? ringTimeout = null) => _agent.PlaceCall(new SipCallRequest
    {
        Trunk = trunk,
        RequestUri = $"sip:{user}@127.0.0.1:{_chain.Kamailio.Port}",
        CallerId = "+15557654321",
        DisplayName = "Dialtone Test",
        SdpOffer = TestSdp.Offer,
        RingTimeout = ringTimeout ?? TimeSpan.FromSeconds(30),
    }, _observer);

    [Fact]
    public void Call_through_kamailio_with_digest_to_baresip_is_answered_lasts_and_ends_with_our_bye()
    {
        SipCall call = Call(Trunk(), "alice");

        var answered = WaitFor("answered", call, 15000);
        Assert.Contains("m=audio ", answered.Body);
        Assert.Contains("PCMU/8000", answered.Body);
        Assert.Equal(1, _agent.Counters.AuthRetries);
        // The call lasts.
        Thread.Sleep(1500);
        Assert.Equal(SipCallState.Answered, call.State);

        Assert.True(call.HangUp());
        Assert.Equal("ended LocalHangup", WaitFor("ended", call, 15000).Event);
        // The BYE follows the route set: kamailio record-routed, so it goes through it to baresip's Contact.
        var bye = _trace.WaitFor(m => m.Outgoing && m.IsRequest("BYE"), "our BYE");
        Assert.Contains($"127.0.0.1:{_chain.Kamailio.Port}", bye.Header("Route"));
        Assert.Contains(";lr", bye.Header("Route"));
        Assert.Contains($"127.0.0.1:{_chain.Baresip.SipPort}", bye.StartLine);
        _trace.WaitFor(m => !m.Outgoing && m.IsResponse(200) && m.Header("CSeq")!.EndsWith("BYE", StringComparison.Ordinal), "the 200 to our BYE");
    }

    [Fact]
    public void Baresip_hangs_up_and_the_call_ends_as_remote_hangup()
    {
        SipCall call = Call(Trunk(), "alice");
        WaitFor("answered", call, 15000);
        Thread.Sleep(500);

        _chain.Baresip.HangUp("alice");

        var ended = WaitFor("ended", call, 15000);
        Assert.Equal("ended RemoteHangup", ended.Event);
        Assert.True(call.End.ByRemote);
    }

    [Fact]
    public void A_call_over_tcp_to_the_trunk_works_too()
    {
        SipCall call = Call(Trunk(transport: SipTransportProtocol.Tcp), "alice");
        WaitFor("answered", call, 15000);
        call.HangUp();
        Assert.Equal("ended LocalHangup", WaitFor("ended", call, 15000).Event);
        Assert.All(_trace.All, m => Assert.Equal(SipTransportProtocol.Tcp, m.Protocol));
    }

    [Fact]
    public void A_wrong_password_fails_with_the_407()
    {
        SipCall call = Call(Trunk(password: "not-the-password"), "alice");
        var failed = WaitFor("failed", call, 15000);
        Assert.Equal("failed AuthenticationFailed 407", failed.Event);
        Assert.Equal(407, call.End.StatusCode);
        Assert.Equal(2, _trace.Sent.Count(m => m.IsRequest("INVITE")));
    }

    [Fact]
    public void An_unknown_user_fails_with_404()
    {
        SipCall call = Call(Trunk(), "mallory");
        var failed = WaitFor("failed", call, 15000);
        Assert.Equal("failed Rejected 404", failed.Event);
        Assert.True(call.End.ByRemote);
    }

    [Fact]
    public void A_ring_timeout_sends_cancel_and_ends_as_no_answer()
    {
        // carol's account answers manually: it rings until told otherwise.
        SipCall call = Call(Trunk(), "carol", TimeSpan.FromSeconds(2));
        WaitFor("ringing", call, 15000);

        var failed = WaitFor("failed", call, 15000);
        Assert.Equal("failed RingTimeout 487", failed.Event);
        _trace.WaitFor(m => m.Outgoing && m.IsRequest("CANCEL"), "the CANCEL");
        _trace.WaitFor(m => m.Outgoing && m.IsRequest("ACK") && m.Header("CSeq")!.EndsWith("ACK", StringComparison.Ordinal), "the ACK for the 487");
    }

    // A failure carries what the peers printed and what went over the wire, so CI logs say why.
    private (SipCall Call, string Event, string Body) WaitFor(string prefix, SipCall call, int timeoutMs)
    {
        try
        {
            return _observer.WaitFor(prefix, call, timeoutMs);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n--- trace ---\n{string.Join("\n", _trace.All.Select(m => m.Text))}" +
                $"\n--- kamailio ---\n{Tail(_chain.Kamailio.Output)}\n--- baresip ---\n{Tail(_chain.Baresip.Output)}");
        }
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];

    public void Dispose() => _agent.Dispose();
}
