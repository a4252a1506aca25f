using System.Text;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Transport;
using Dialtone.Engine.Sip.Trunks;
using Dialtone.Engine.Sip.UserAgent;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

public sealed class AuthenticationTests
{
    private const string Realm = "carrier.test";

    private static SipTrunkOptions WithCredentials(SipTrunkOptions t, string password = "secret") => new()
    {
        Name = t.Name,
        Host = t.Host,
        Port = t.Port,
        Transport = t.Transport,
        Credentials = new DigestCredentials("trunkuser", password),
    };

    private static KeyValuePair<string, string>[] ProxyChallenge(string nonce, bool stale = false) =>
        [new("Proxy-Authenticate", $"Digest realm=\"{Realm}\", nonce=\"{nonce}\", qop=\"auth\", algorithm=MD5{(stale ? ", stale=true" : "")}")];

    [Fact]
    public void A_407_is_answered_with_credentials_a_new_cseq_and_branch_on_the_same_call()
    {
        using var bed = new CallTestBed(trunk: t => WithCredentials(t));
        string requestUri = bed.Request().RequestUri;
        bed.Handler.Script = (call, offer) =>
        {
            string? credentials = call.GetInviteHeader("Proxy-Authorization");
            if (credentials is null)
            {
                call.Reject(407, null, ProxyChallenge("nonce-1"));
                return;
            }
            Assert.True(TestDigestVerifier.IsValid(credentials, "INVITE", requestUri, "trunkuser", "secret", Realm, "nonce-1"), credentials);
            call.Answer(TestSdp.AnswerTo(offer));
        };
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);

        var invites = bed.CalleeTrace.Received.Where(m => m.IsRequest("INVITE")).ToList();
        Assert.Equal(2, invites.Count);
        // RFC 3261 §22.2: same Call-ID and From tag, CSeq one more, a new branch.
        Assert.Equal(invites[0].Header("Call-ID"), invites[1].Header("Call-ID"));
        Assert.Equal(invites[0].Header("From"), invites[1].Header("From"));
        Assert.Equal("2 INVITE", invites[1].Header("CSeq"));
        Assert.NotEqual(invites[0].Header("Via"), invites[1].Header("Via"));
        Assert.Contains("nc=00000001", invites[1].Header("Proxy-Authorization"));
        // The 407 was ACKed by the transaction; the ACK for the 2xx carries the INVITE's credentials.
        var acks = bed.CalleeTrace.Received.Where(m => m.IsRequest("ACK")).ToList();
        Assert.Equal("1 ACK", acks[0].Header("CSeq"));
        bed.CalleeTrace.WaitForCount(m => !m.Outgoing && m.IsRequest("ACK"), 2, "the ACK for the 200");
        var ack = bed.CalleeTrace.Received.Where(m => m.IsRequest("ACK")).Last();
        Assert.Equal("2 ACK", ack.Header("CSeq"));
        Assert.Equal(invites[1].Header("Proxy-Authorization"), ack.Header("Proxy-Authorization"));
        Assert.Equal(1, bed.Caller.Counters.AuthRetries);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void Wrong_credentials_are_not_retried_forever_and_fail_with_the_challenge_code()
    {
        using var bed = new CallTestBed(trunk: t => WithCredentials(t, password: "wrong"));
        int challenges = 0;
        bed.Handler.Script = (call, _) =>
        {
            Interlocked.Increment(ref challenges);
            call.Reject(407, null, ProxyChallenge("nonce-" + challenges));
        };
        SipCall call = bed.Place();

        var failed = bed.Observer.WaitFor("failed", call);
        Assert.Equal("failed AuthenticationFailed 407", failed.Event);
        Thread.Sleep(200);
        // One retry, then the same realm challenged again without stale: never an auth loop.
        Assert.Equal(2, bed.CalleeTrace.Received.Count(m => m.IsRequest("INVITE")));
    }

    [Fact]
    public void A_stale_nonce_is_answered_again()
    {
        using var bed = new CallTestBed(trunk: t => WithCredentials(t));
        string requestUri = bed.Request().RequestUri;
        bed.Handler.Script = (call, offer) =>
        {
            string? credentials = call.GetInviteHeader("Proxy-Authorization");
            if (credentials is null)
                call.Reject(407, null, ProxyChallenge("old"));
            else if (credentials.Contains("nonce=\"old\""))
                call.Reject(407, null, ProxyChallenge("fresh", stale: true));
            else if (TestDigestVerifier.IsValid(credentials, "INVITE", requestUri, "trunkuser", "secret", Realm, "fresh"))
                call.Answer(TestSdp.AnswerTo(offer));
            else
                call.Reject(403);
        };
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        Assert.Equal(3, bed.CalleeTrace.Received.Count(m => m.IsRequest("INVITE")));
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void A_401_gets_an_authorization_header()
    {
        using var bed = new CallTestBed(trunk: t => WithCredentials(t));
        string requestUri = bed.Request().RequestUri;
        bed.Handler.Script = (call, offer) =>
        {
            string? credentials = call.GetInviteHeader("Authorization");
            if (credentials is null)
                call.Reject(401, null, [new("WWW-Authenticate", $"Digest realm=\"{Realm}\", nonce=\"n401\", algorithm=MD5")]);
            else if (TestDigestVerifier.IsValid(credentials, "INVITE", requestUri, "trunkuser", "secret", Realm, "n401"))
                call.Answer(TestSdp.AnswerTo(offer));
            else
                call.Reject(403);
        };
        SipCall call = bed.Place();
        bed.Observer.WaitFor("answered", call);
        call.HangUp();
        bed.Observer.WaitFor("ended", call);
    }

    [Fact]
    public void A_challenge_without_credentials_fails_at_once()
    {
        using var bed = new CallTestBed();
        bed.Handler.Script = (call, _) => call.Reject(407, null, ProxyChallenge("n"));
        SipCall call = bed.Place();
        Assert.Equal("failed AuthenticationFailed 407", bed.Observer.WaitFor("failed", call).Event);
        Assert.Single(bed.CalleeTrace.Received, m => m.IsRequest("INVITE"));
    }

    [Fact]
    public void A_challenged_bye_is_sent_again_with_credentials()
    {
        using var agent = new SipUserAgent(CallTestBed.Loopback());
        using var far = new RawUas();
        var trunk = agent.AddTrunk(new SipTrunkOptions
        {
            Name = "far",
            Host = "127.0.0.1",
            Port = far.Port,
            Transport = SipTransportProtocol.Udp,
            Credentials = new DigestCredentials("trunkuser", "secret"),
        });
        var observer = new RecordingCallObserver();
        SipCall call = agent.PlaceCall(new SipCallRequest { Trunk = trunk, RequestUri = $"sip:x@127.0.0.1:{far.Port}", CallerId = "1", SdpOffer = TestSdp.Offer }, observer);
        far.Respond(far.Expect("INVITE"), 200, "far", Encoding.ASCII.GetString(TestSdp.AnswerTo(TestSdp.Offer)));
        far.Expect("ACK");
        observer.WaitFor("answered", call);

        call.HangUp();
        string bye = far.Expect("BYE");
        far.Respond(bye, 401, null, null, $"WWW-Authenticate: Digest realm=\"{Realm}\", nonce=\"bye-nonce\", qop=\"auth\"\r\n");
        string retried = far.Expect("BYE");
        Assert.Equal("3 BYE", RawUas.Header(retried, "CSeq"));
        Assert.True(TestDigestVerifier.IsValid(RawUas.Header(retried, "Authorization"), "BYE", $"sip:raw@127.0.0.1:{far.Port}", "trunkuser", "secret", Realm, "bye-nonce"));
        far.Respond(retried, 200);
        Assert.Equal("ended LocalHangup", observer.WaitFor("ended", call).Event);
    }
}
