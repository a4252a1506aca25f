using Dialtone.Engine.Sip.Auth;

namespace Dialtone.Engine.Sip.Tests.Auth;

public sealed class DigestAuthAttemptTests
{
    private const string RequestUri = "sip:+15551234567@carrier.example.net";

    private static readonly DigestAuthenticator Trunk = new(new DigestCredentials("trunk-4471", "s3cr3t!"));

    [Fact]
    public void First_challenge_is_answered_once()
    {
        var attempt = new DigestAuthAttempt(Trunk);

        var decision = attempt.OnChallenge(407, [Proxy("carrier", "n1")]);

        Assert.True(decision.ShouldRetry);
        Assert.Equal(DigestGiveUpReason.None, decision.Reason);
        var header = Assert.Single(attempt.Authorize("INVITE", RequestUri));
        Assert.Equal("Proxy-Authorization", header.HeaderName);
        Assert.Equal("n1", DigestHeaderReader.Parameters(header.Value)["nonce"]);
    }

    [Fact]
    public void Second_challenge_for_the_same_realm_without_stale_gives_up_with_its_code()
    {
        var attempt = new DigestAuthAttempt(Trunk);
        attempt.OnChallenge(407, [Proxy("carrier", "n1")]);

        var decision = attempt.OnChallenge(407, [Proxy("carrier", "n2")]);

        Assert.False(decision.ShouldRetry);
        Assert.Equal(DigestGiveUpReason.CredentialsRejected, decision.Reason);
        Assert.Equal(407, decision.StatusCode);
    }

    [Fact]
    public void Stale_challenge_with_a_new_nonce_is_retried_with_a_fresh_count()
    {
        var attempt = new DigestAuthAttempt(Trunk);
        attempt.OnChallenge(401, [Www("carrier", "old")]);
        attempt.Authorize("INVITE", RequestUri);

        var decision = attempt.OnChallenge(401, [Www("carrier", "new", stale: true)]);

        Assert.True(decision.ShouldRetry);
        var sent = DigestHeaderReader.Parameters(Assert.Single(attempt.Authorize("INVITE", RequestUri)).Value);
        Assert.Equal("new", sent["nonce"]);
        Assert.Equal("00000001", sent["nc"]);
    }

    [Fact]
    public void Stale_challenge_repeating_the_same_nonce_gives_up()
    {
        var attempt = new DigestAuthAttempt(Trunk);
        attempt.OnChallenge(401, [Www("carrier", "n1")]);

        var decision = attempt.OnChallenge(401, [Www("carrier", "n1", stale: true)]);

        Assert.Equal(DigestGiveUpReason.CredentialsRejected, decision.Reason);
    }

    [Fact]
    public void Stale_retries_are_bounded_per_realm()
    {
        var attempt = new DigestAuthAttempt(Trunk);
        attempt.OnChallenge(401, [Www("carrier", "n0")]);
        for (int i = 1; i <= DigestAuthAttempt.MaxStaleRetriesPerRealm; i++)
            Assert.True(attempt.OnChallenge(401, [Www("carrier", $"n{i}", stale: true)]).ShouldRetry);

        var decision = attempt.OnChallenge(401, [Www("carrier", "n-last", stale: true)]);

        Assert.False(decision.ShouldRetry);
        Assert.Equal(DigestGiveUpReason.CredentialsRejected, decision.Reason);
    }

    [Fact]
    public void Proxy_then_callee_challenges_accumulate_both_credentials()
    {
        var attempt = new DigestAuthAttempt(Trunk);
        Assert.True(attempt.OnChallenge(407, [Proxy("proxy.example.net", "p1")]).ShouldRetry);

        Assert.True(attempt.OnChallenge(401, [Www("callee.example.net", "w1")]).ShouldRetry);

        var headers = attempt.Authorize("INVITE", RequestUri);
        Assert.Equal(["Proxy-Authorization", "Authorization"], headers.Select(h => h.HeaderName));
        Assert.Equal(["proxy.example.net", "callee.example.net"], headers.Select(h => h.Realm));
        Assert.Equal(2, attempt.RealmCount);

        var again = attempt.OnChallenge(401, [Www("callee.example.net", "w2")]);
        Assert.Equal(new DigestAuthDecision(false, DigestGiveUpReason.CredentialsRejected, 401), again);
    }

    [Fact]
    public void Unknown_realm_gives_up_without_sending_the_password()
    {
        var restricted = new DigestAuthenticator(new DigestCredentials("trunk", "pw", realm: "carrier.example.net"));
        var attempt = new DigestAuthAttempt(restricted);

        var decision = attempt.OnChallenge(401, [Www("phisher.example.com", "n")]);

        Assert.Equal(new DigestAuthDecision(false, DigestGiveUpReason.NoCredentialsForRealm, 401), decision);
        Assert.Empty(attempt.Authorize("INVITE", RequestUri));
    }

    [Fact]
    public void Only_unsupported_algorithms_give_up()
    {
        var attempt = new DigestAuthAttempt(Trunk);

        var decision = attempt.OnChallenge(401, [Www("carrier", "n", algorithm: "SHA3-512")]);

        Assert.Equal(DigestGiveUpReason.UnsupportedChallenge, decision.Reason);
    }

    [Fact]
    public void Response_without_a_challenge_or_not_401_407_gives_up()
    {
        Assert.Equal(DigestGiveUpReason.NoChallenge, new DigestAuthAttempt(Trunk).OnChallenge(401, []).Reason);
        Assert.Equal(new DigestAuthDecision(false, DigestGiveUpReason.NotAChallenge, 486), new DigestAuthAttempt(Trunk).OnChallenge(486, [Www("carrier", "n")]));
    }

    [Fact]
    public void Once_given_up_it_keeps_giving_up()
    {
        var attempt = new DigestAuthAttempt(Trunk);
        attempt.OnChallenge(401, [Www("carrier", "n1")]);
        attempt.OnChallenge(401, [Www("carrier", "n2")]);

        var decision = attempt.OnChallenge(407, [Proxy("another", "n3")]);

        Assert.False(decision.ShouldRetry);
        Assert.Equal(DigestGiveUpReason.CredentialsRejected, decision.Reason);
        Assert.Equal(407, decision.StatusCode);
    }

    [Fact]
    public void A_server_inventing_new_realms_is_cut_off()
    {
        var attempt = new DigestAuthAttempt(Trunk);
        for (int i = 0; i < DigestAuthAttempt.MaxChallenges; i++)
            Assert.True(attempt.OnChallenge(401, [Www($"realm-{i}", "n")]).ShouldRetry);

        var decision = attempt.OnChallenge(401, [Www("realm-x", "n")]);

        Assert.Equal(DigestGiveUpReason.TooManyChallenges, decision.Reason);
    }

    [Fact]
    public void Several_algorithms_for_one_realm_are_answered_once_with_the_strongest()
    {
        var attempt = new DigestAuthAttempt(Trunk);

        attempt.OnChallenge(401, [Www("carrier", "md5", algorithm: "MD5"), Www("carrier", "sha", algorithm: "SHA-256")]);

        var sent = DigestHeaderReader.Parameters(Assert.Single(attempt.Authorize("INVITE", RequestUri)).Value);
        Assert.Equal("SHA-256", sent["algorithm"]);
        Assert.Equal("sha", sent["nonce"]);
        Assert.Equal(64, sent["response"].Length);
    }

    [Fact]
    public void Each_retry_counts_one_more_request_on_the_same_nonce()
    {
        var attempt = new DigestAuthAttempt(new DigestAuthenticator(new DigestCredentials("u", "p")));
        attempt.OnChallenge(401, [Www("carrier", "n")]);

        var first = DigestHeaderReader.Parameters(attempt.Authorize("INVITE", RequestUri)[0].Value);
        var second = DigestHeaderReader.Parameters(attempt.Authorize("INVITE", RequestUri)[0].Value);

        Assert.Equal("00000001", first["nc"]);
        Assert.Equal("00000002", second["nc"]);
    }

    private static DigestChallenge Www(string realm, string nonce, bool stale = false, string algorithm = "MD5") =>
        Parse($"Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm={algorithm}, qop=\"auth\"{(stale ? ", stale=true" : "")}", isProxy: false);

    private static DigestChallenge Proxy(string realm, string nonce, bool stale = false) =>
        Parse($"Digest realm=\"{realm}\", nonce=\"{nonce}\", algorithm=MD5, qop=\"auth\"{(stale ? ", stale=true" : "")}", isProxy: true);

    private static DigestChallenge Parse(string value, bool isProxy)
    {
        Assert.True(DigestChallengeParser.TryParse(value, isProxy, out var challenge, out var error), error);
        return challenge;
    }
}
