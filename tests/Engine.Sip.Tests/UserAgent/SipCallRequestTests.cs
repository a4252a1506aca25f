using System.Net;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

public sealed class SipCallRequestTests : IDisposable
{
    private readonly SipUserAgent _agent = new(new SipUserAgentOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
    private readonly SipTrunk _trunk;

    public SipCallRequestTests() =>
        _trunk = _agent.AddTrunk(new SipTrunkOptions { Name = "t", Host = "127.0.0.1", Port = 5999 });

    private SipCallRequest Valid() => new()
    {
        Trunk = _trunk,
        RequestUri = "sip:+15551234567@127.0.0.1:5999",
        CallerId = "+15550001111",
        SdpOffer = TestSdp.Offer,
    };

    public static TheoryData<string> BadRequests() =>
    [
        "uri-mailto", "uri-spaces", "caller-id-empty", "caller-id-at", "display-control", "pai-crlf", "extra-name", "extra-via", "extra-crlf", "no-offer", "ring-zero",
    ];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void Bad_requests_are_refused_before_anything_is_sent(string what)
    {
        SipCallRequest r = Valid();
        SipCallRequest bad = what switch
        {
            "uri-mailto" => new() { Trunk = _trunk, RequestUri = "mailto:bob@example.com", CallerId = r.CallerId, SdpOffer = r.SdpOffer },
            "uri-spaces" => new() { Trunk = _trunk, RequestUri = "sip:bob @example.com", CallerId = r.CallerId, SdpOffer = r.SdpOffer },
            "caller-id-empty" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = "", SdpOffer = r.SdpOffer },
            "caller-id-at" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = "a@b", SdpOffer = r.SdpOffer },
            "display-control" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = r.CallerId, DisplayName = "a\r\nVia: x", SdpOffer = r.SdpOffer },
            "pai-crlf" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = r.CallerId, PAssertedIdentity = "<sip:a@b>\r\nX: y", SdpOffer = r.SdpOffer },
            "extra-name" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = r.CallerId, ExtraHeaders = [new("Bad Name", "v")], SdpOffer = r.SdpOffer },
            "extra-via" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = r.CallerId, ExtraHeaders = [new("via", "SIP/2.0/UDP x")], SdpOffer = r.SdpOffer },
            "extra-crlf" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = r.CallerId, ExtraHeaders = [new("X-A", "1\r\nX-B: 2")], SdpOffer = r.SdpOffer },
            "no-offer" => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = r.CallerId, SdpOffer = default },
            _ => new() { Trunk = _trunk, RequestUri = r.RequestUri, CallerId = r.CallerId, SdpOffer = r.SdpOffer, RingTimeout = TimeSpan.Zero },
        };
        Assert.ThrowsAny<ArgumentException>(() => _agent.PlaceCall(bad, new RecordingCallObserver()));
        Assert.Equal(0, _agent.ActiveCallCount);
        Assert.Equal(0, _agent.TransportCounters.Sent);
    }

    [Theory]
    [InlineData("carrier.example.com", true)]
    [InlineData("192.0.2.1", true)]
    [InlineData("[2001:db8::1]", true)]
    [InlineData("2001:db8::1", true)]
    [InlineData("-bad.example", false)]
    [InlineData("under_score.example", false)]
    [InlineData("1.2.3", false)]
    [InlineData("", false)]
    [InlineData("a..b", false)]
    public void Trunk_hosts_are_names_or_addresses(string host, bool valid) => Assert.Equal(valid, SipTrunks.IsHost(host));

    [Fact]
    public void A_trunk_named_by_host_needs_a_resolver()
    {
        Assert.Throws<ArgumentException>(() => _agent.AddTrunk(new SipTrunkOptions { Name = "dns", Host = "carrier.example.com" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _agent.AddTrunk(new SipTrunkOptions { Name = "se", Host = "127.0.0.1", SessionExpires = 60 }));
    }

    public void Dispose() => _agent.Dispose();
}
