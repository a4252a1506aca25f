using System.Net;
using System.Text;
using Dialtone.Engine.Sip.Dns;
using Dialtone.Engine.Sip.Tests.Dns;
using Dialtone.Engine.Sip.Tests.Transactions;
using Dialtone.Engine.Sip.Tests.UserAgent;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.Sip.Tests.Trunks;

public sealed class TrunkTests
{
    private const string Domain = "trunk.test";

    private static SipUserAgentOptions WithResolver(IPEndPoint dns, TimeSpan? tryingDelay = null) => new()
    {
        ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
        TryingDelay = tryingDelay ?? TimeSpan.FromMilliseconds(200),
        Resolver = new SipTargetResolver(new SipTargetResolverOptions { NameServers = [dns], UseIPv6 = false }),
    };

    private static SipCallRequest Request(SipTrunk trunk) => new()
    {
        Trunk = trunk,
        RequestUri = $"sip:+15551234567@{Domain}",
        CallerId = "+15550001111",
        SdpOffer = TestSdp.Offer,
    };

    /// <summary>A trunk whose host (an IP address) is 127.0.0.1:<paramref name="hostPort"/>, with one alternate edge.</summary>
    private static SipTrunk AddTwoEdgeTrunk(SipUserAgent caller, string name, int hostPort, IPEndPoint alternate, SipTrunkDistribution distribution) =>
        caller.AddTrunk(new SipTrunkOptions
        {
            Name = name,
            Host = "127.0.0.1",
            Port = hostPort,
            AlternateTargets = [alternate],
            Transport = SipTransportProtocol.Udp,
            Distribution = distribution,
        });

    /// <summary>Places <paramref name="count"/> calls one after another, each answered before the next.</summary>
    private static List<SipCall> PlaceAnswered(SipUserAgent caller, SipTrunk trunk, RecordingCallObserver observer, int count)
    {
        var calls = new List<SipCall>(count);
        for (int i = 0; i < count; i++)
        {
            SipCall call = caller.PlaceCall(Request(trunk), observer);
            observer.WaitFor("answered", call);
            calls.Add(call);
        }
        return calls;
    }

    private static void HangUpAll(IEnumerable<SipCall> calls, RecordingCallObserver observer)
    {
        foreach (SipCall call in calls)
        {
            call.HangUp();
            observer.WaitFor("ended", call);
        }
    }

    [Fact]
    public async Task A_503_with_retry_after_moves_the_call_to_the_next_srv_target_and_keeps_the_first_aside()
    {
        await using var dns = new TestDnsServer();
        using var busy = new RawUas();
        using var callee = new SipUserAgent(CallTestBed.Loopback());
        var handler = new ScriptedCallee();
        callee.IncomingCalls = handler;
        dns.Add(
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, (ushort)busy.Port, "a." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 20, 0, (ushort)callee.LocalEndPoint.Port, "b." + Domain),
            TestDnsRecord.A("a." + Domain, "127.0.0.1"),
            TestDnsRecord.A("b." + Domain, "127.0.0.1"));
        using var caller = new SipUserAgent(WithResolver(dns.EndPoint));
        var trunk = caller.AddTrunk(new SipTrunkOptions { Name = "srv", Host = Domain, Transport = SipTransportProtocol.Udp });
        var observer = new RecordingCallObserver();

        SipCall first = caller.PlaceCall(Request(trunk), observer);
        string invite = busy.Expect("INVITE");
        busy.Respond(invite, 503, null, null, "Retry-After: 120\r\n");
        busy.Expect("ACK");
        observer.WaitFor("answered", first);
        Assert.Equal(2, trunk.Targets!.Count);

        // RFC 3263 §4.3: the target that answered 503 is avoided for Retry-After seconds.
        SipCall second = caller.PlaceCall(Request(trunk), observer);
        observer.WaitFor("answered", second);
        Assert.True(busy.Quiet("INVITE"));
        Assert.Equal(2, handler.Calls.Count);

        first.HangUp();
        second.HangUp();
        observer.WaitFor("ended", first);
        observer.WaitFor("ended", second);
    }

    [Fact]
    public void A_503_from_an_ip_address_trunk_moves_the_call_to_its_alternate_target()
    {
        using var busy = new RawUas();
        using var callee = new SipUserAgent(CallTestBed.Loopback());
        var handler = new ScriptedCallee();
        callee.IncomingCalls = handler;
        using var caller = new SipUserAgent(CallTestBed.Loopback());
        var trunk = AddTwoEdgeTrunk(caller, "primary-and-secondary", busy.Port, callee.LocalEndPoint, SipTrunkDistribution.Failover);
        var observer = new RecordingCallObserver();

        SipCall call = caller.PlaceCall(Request(trunk), observer);
        string invite = busy.Expect("INVITE");
        busy.Respond(invite, 503, null, null, "Retry-After: 30\r\n");
        busy.Expect("ACK");

        observer.WaitFor("answered", call);
        Assert.Single(handler.Calls);
        Assert.Equal([busy.Port, callee.LocalEndPoint.Port], trunk.Targets!.Select(t => t.Target.EndPoint.Port));
        call.HangUp();
        observer.WaitFor("ended", call);
    }

    [Fact]
    public void Round_robin_takes_the_host_and_its_alternate_in_turn()
    {
        using var edgeA = new SipUserAgent(CallTestBed.Loopback());
        using var edgeB = new SipUserAgent(CallTestBed.Loopback());
        var handlerA = new ScriptedCallee();
        var handlerB = new ScriptedCallee();
        edgeA.IncomingCalls = handlerA;
        edgeB.IncomingCalls = handlerB;
        using var caller = new SipUserAgent(CallTestBed.Loopback());
        var trunk = AddTwoEdgeTrunk(caller, "two-edges", edgeA.LocalEndPoint.Port, edgeB.LocalEndPoint, SipTrunkDistribution.RoundRobin);
        var observer = new RecordingCallObserver();

        List<SipCall> calls = PlaceAnswered(caller, trunk, observer, 4);
        // A callee's handler notes the call just after answering it.
        Assert.True(SpinWait.SpinUntil(() => handlerA.Calls.Count + handlerB.Calls.Count == calls.Count, TimeSpan.FromSeconds(10)));

        // Each edge carried every other call; with Failover all four would have gone to the host.
        Assert.Equal(2, handlerA.Calls.Count);
        Assert.Equal(2, handlerB.Calls.Count);
        HangUpAll(calls, observer);
    }

    [Fact]
    public void Round_robin_leaves_an_edge_that_answered_503_to_the_others()
    {
        using var busy = new RawUas();
        using var callee = new SipUserAgent(CallTestBed.Loopback());
        var handler = new ScriptedCallee();
        callee.IncomingCalls = handler;
        using var caller = new SipUserAgent(CallTestBed.Loopback());
        var trunk = AddTwoEdgeTrunk(caller, "one-edge-busy", busy.Port, callee.LocalEndPoint, SipTrunkDistribution.RoundRobin);
        var observer = new RecordingCallObserver();

        // The first call's turn starts at the busy edge: its 503 moves the call on and holds that edge aside.
        SipCall first = caller.PlaceCall(Request(trunk), observer);
        string invite = busy.Expect("INVITE");
        busy.Respond(invite, 503, null, null, "Retry-After: 120\r\n");
        busy.Expect("ACK");
        observer.WaitFor("answered", first);

        // While held aside it gets no turn: the next calls all go to the healthy edge.
        List<SipCall> more = PlaceAnswered(caller, trunk, observer, 3);
        Assert.True(busy.Quiet("INVITE"));
        Assert.True(SpinWait.SpinUntil(() => handler.Calls.Count == 4, TimeSpan.FromSeconds(10)));

        HangUpAll([first, .. more], observer);
    }

    [Fact]
    public void Alternate_targets_with_a_host_name_are_refused()
    {
        using var caller = new SipUserAgent(CallTestBed.Loopback());

        var error = Assert.Throws<ArgumentException>(() => caller.AddTrunk(new SipTrunkOptions
        {
            Name = "named",
            Host = Domain,
            AlternateTargets = [new IPEndPoint(IPAddress.Loopback, 5070)],
        }));
        Assert.Contains("SRV", error.Message);
    }

    [Fact]
    public async Task A_silent_target_is_skipped_after_Timer_B()
    {
        await using var dns = new TestDnsServer();
        using var silent = new RawUas();
        var clock = new FakeTimeProvider();
        using var callee = new SipUserAgent(CallTestBed.Loopback(), clock);
        var handler = new ScriptedCallee();
        callee.IncomingCalls = handler;
        dns.Add(
            TestDnsRecord.Srv("_sip._udp." + Domain, 10, 0, (ushort)silent.Port, "a." + Domain),
            TestDnsRecord.Srv("_sip._udp." + Domain, 20, 0, (ushort)callee.LocalEndPoint.Port, "b." + Domain),
            TestDnsRecord.A("a." + Domain, "127.0.0.1"),
            TestDnsRecord.A("b." + Domain, "127.0.0.1"));
        using var caller = new SipUserAgent(WithResolver(dns.EndPoint), clock);
        var trunk = caller.AddTrunk(new SipTrunkOptions { Name = "srv", Host = Domain, Transport = SipTransportProtocol.Udp });
        var observer = new RecordingCallObserver();

        SipCall call = caller.PlaceCall(Request(trunk), observer);
        silent.Expect("INVITE");
        // Timer B (64*T1 = 32 s) ends the first attempt; until then nothing moves on.
        FakeClockSteps.Advance(clock, TimeSpan.FromMilliseconds(31990));
        Thread.Sleep(100);
        Assert.False(observer.Has("answered"));
        clock.Advance(TimeSpan.FromMilliseconds(10));

        observer.WaitFor("answered", call);
        call.HangUp();
        observer.WaitFor("ended", call);
    }

    [Fact]
    public async Task An_unresolvable_trunk_fails_the_call()
    {
        await using var dns = new TestDnsServer();
        using var caller = new SipUserAgent(WithResolver(dns.EndPoint));
        var trunk = caller.AddTrunk(new SipTrunkOptions { Name = "nowhere", Host = "nowhere.test" });
        var observer = new RecordingCallObserver();
        SipCall call = caller.PlaceCall(Request(trunk), observer);
        Assert.Equal("failed ResolutionFailed 503", observer.WaitFor("failed", call).Event);
        Assert.Equal(0, caller.ActiveCallCount);
    }

    [Fact]
    public void Keep_alive_marks_the_trunk_down_when_options_go_unanswered_and_up_again()
    {
        var clock = new FakeTimeProvider();
        using var far = new RawUas();
        using var agent = new SipUserAgent(CallTestBed.Loopback(), clock);
        var trunk = agent.AddTrunk(new SipTrunkOptions
        {
            Name = "pinged",
            Host = "127.0.0.1",
            Port = far.Port,
            Transport = SipTransportProtocol.Udp,
            KeepAliveInterval = TimeSpan.FromSeconds(60),
        });
        void Advance(int ms) => FakeClockSteps.Advance(clock, TimeSpan.FromMilliseconds(ms));

        Advance(10);
        string options = far.Expect("OPTIONS");
        Assert.StartsWith($"OPTIONS sip:127.0.0.1:{far.Port} SIP/2.0", options);
        far.Respond(options, 200);
        TestBedWait.Until(() => agent.Counters.ResponsesReceived(2) == 1, "the 200");
        Assert.True(trunk.IsReachable);

        // The next ping goes unanswered: Timer F marks the trunk down.
        Advance(60000);
        far.Expect("OPTIONS");
        Advance(32000);
        Assert.False(trunk.IsReachable);
        Assert.Equal(1, trunk.KeepAliveFailures);

        // An answer, even an error, brings it back.
        Advance(30000);
        string again;
        do
            again = far.Expect("OPTIONS");
        while (RawUas.Header(again, "CSeq") != "3 OPTIONS");
        far.Respond(again, 404);
        TestBedWait.Until(() => trunk.IsReachable, "the trunk to be up again");
    }

    [Fact]
    public void A_large_invite_goes_over_tcp()
    {
        using var bed = new CallTestBed();
        var big = new string('x', 1500);
        var request = bed.Request();
        request = new SipCallRequest
        {
            Trunk = request.Trunk,
            RequestUri = request.RequestUri,
            CallerId = request.CallerId,
            SdpOffer = request.SdpOffer,
            ExtraHeaders = [new("X-Padding", big)],
        };
        SipCall call = bed.Place(request);
        bed.Observer.WaitFor("answered", call);

        // RFC 3261 §18.1.1: over 1300 bytes, TCP; the Via and Contact say so.
        var invite = bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("INVITE"), "the INVITE");
        Assert.Equal(SipTransportProtocol.Tcp, invite.Protocol);
        Assert.StartsWith("SIP/2.0/TCP ", invite.Header("Via"));
        Assert.EndsWith(";transport=tcp>", invite.Header("Contact"));
        Assert.DoesNotContain(bed.CalleeTrace.Received, m => m.IsRequest("INVITE") && m.Protocol == SipTransportProtocol.Udp);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
        var bye = bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("BYE"), "the BYE");
        Assert.Equal(SipTransportProtocol.Tcp, bye.Protocol);
    }

    [Fact]
    public void A_tcp_trunk_carries_the_whole_call()
    {
        using var bed = new CallTestBed(trunk: t => new SipTrunkOptions { Name = t.Name, Host = t.Host, Port = t.Port, Transport = SipTransportProtocol.Tcp });
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        SipCall incoming = bed.Handler.TakeCall();
        bed.Handler.Observer.WaitFor("answered", incoming);
        incoming.SendDtmf('7');
        bed.Observer.WaitFor("dtmf 7", call);
        incoming.HangUp();
        bed.Observer.WaitFor("ended RemoteHangup", call);

        Assert.All(bed.CalleeTrace.All, m => Assert.Equal(SipTransportProtocol.Tcp, m.Protocol));
        Assert.Contains(bed.CalleeTrace.Received, m => m.IsRequest("ACK"));
        // No retransmission over a reliable transport.
        Assert.Equal(0, bed.Caller.Counters.RetransmissionsSent);
    }

    [Fact]
    public void The_advertised_address_goes_in_via_and_contact_and_rport_brings_the_answers_back()
    {
        using var bed = new CallTestBed(trunk: t => new SipTrunkOptions
        {
            Name = t.Name,
            Host = t.Host,
            Port = t.Port,
            Transport = t.Transport,
            AdvertisedHost = "203.0.113.7",
            AdvertisedPort = 5080,
        });
        Assert.Equal("203.0.113.7", bed.Trunk.MediaAddress);
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);

        var invite = bed.CalleeTrace.WaitFor(m => !m.Outgoing && m.IsRequest("INVITE"), "the INVITE");
        Assert.StartsWith("SIP/2.0/UDP 203.0.113.7:5080;branch=", invite.Header("Via"));
        Assert.Equal("<sip:dialtone@203.0.113.7:5080>", invite.Header("Contact"));
        // The callee answered to the source address (RFC 3581), not to the unreachable sent-by.
        var ok = bed.CalleeTrace.WaitFor(m => m.Outgoing && m.IsResponse(200), "the 200");
        Assert.Contains($";received=127.0.0.1;rport={bed.Caller.LocalEndPoint.Port}", ok.Header("Via"));
        call.Cancel();
    }
}
