using System.Security.Cryptography;
using System.Text;
using Dialtone.Engine.Sip.Auth;

namespace Dialtone.Engine.Sip.Tests.Auth;

public sealed class DigestAuthenticatorTests
{
    private const string VectorFile = "digest-responses.txt";

    public static TheoryData<string> VectorNames()
    {
        var names = new TheoryData<string>();
        foreach (var name in AuthVectors.Blocks(VectorFile).Keys)
            names.Add(name);
        return names;
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Computes_the_response_of_each_vector(string name)
    {
        var vector = AuthVectors.Blocks(VectorFile)[name];
        Assert.True(DigestChallengeParser.TryParse(vector["challenge"], isProxy: false, out var challenge, out var error), error);
        var authenticator = new DigestAuthenticator(
            new DigestCredentials(vector["username"], vector["password"]),
            cnonceSource: () => vector["cnonce"]);
        var body = Encoding.UTF8.GetBytes(AuthVectors.Unescape(vector.GetValueOrDefault("body", "")));
        int requests = vector["nc"].Length == 0 ? 1 : Convert.ToInt32(vector["nc"], 16);

        DigestAuthorization authorization = default;
        for (int i = 0; i < requests; i++)
            authorization = authenticator.Authorize(challenge, vector["method"], vector["uri"], body);
        var sent = DigestHeaderReader.Parameters(authorization.Value);

        Assert.Equal(vector["response"], sent["response"]);
        Assert.Equal(vector["uri"], sent["uri"]);
        Assert.Equal(challenge.Realm, sent["realm"]);
        Assert.Equal(challenge.Nonce, sent["nonce"]);
        if (vector["qop"].Length > 0)
        {
            Assert.Equal(vector["qop"], sent["qop"]);
            Assert.Equal(vector["nc"], sent["nc"]);
            Assert.Equal(vector["cnonce"], sent["cnonce"]);
        }
        else
        {
            Assert.False(sent.ContainsKey("qop"));
            Assert.False(sent.ContainsKey("nc"));
            Assert.False(sent.ContainsKey("cnonce"));
        }
        if (vector.TryGetValue("username-hash", out var usernameHash))
        {
            Assert.Equal(usernameHash, sent["username"]);
            Assert.Equal("true", sent["userhash"]);
        }
        else
        {
            Assert.Equal(vector["username"], sent["username"]);
        }
    }

    [Fact]
    public void Writes_the_rfc2617_worked_example_header()
    {
        var vector = AuthVectors.Blocks(VectorFile)["rfc2617-3.5"];
        Assert.True(DigestChallengeParser.TryParse(vector["challenge"], isProxy: false, out var challenge, out _));
        var authenticator = new DigestAuthenticator(new DigestCredentials("Mufasa", "Circle Of Life"), cnonceSource: () => "0a4f113b");

        var authorization = authenticator.Authorize(challenge, "GET", "/dir/index.html");

        Assert.Equal("Authorization", authorization.HeaderName);
        Assert.Equal(
            "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
            + "uri=\"/dir/index.html\", response=\"6629fae49393a05397450978507c4ef1\", cnonce=\"0a4f113b\", "
            + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=00000001",
            authorization.Value);
    }

    [Theory]
    [InlineData("sip:+15551234567@carrier.example.net;user=phone")]
    [InlineData("sip:bob@192.0.2.10:5080;transport=tcp")]
    [InlineData("sips:alice@[2001:db8::10]:5061")]
    public void Digest_uri_is_the_request_uri_and_enters_the_response(string requestUri)
    {
        var challenge = Challenge("realm=\"carrier.example.net\", nonce=\"n-1\", qop=\"auth\"");
        var authenticator = new DigestAuthenticator(new DigestCredentials("trunk", "pw"), cnonceSource: () => "c0ffee");

        var sent = DigestHeaderReader.Parameters(authenticator.Authorize(challenge, "INVITE", requestUri).Value);

        Assert.Equal(requestUri, sent["uri"]);
        // A server recomputes the response from the uri it is given: it must match the request-URI's.
        Assert.Equal(ReferenceMd5Response("trunk", "carrier.example.net", "pw", "INVITE", requestUri, "n-1", "00000001", "c0ffee"), sent["response"]);
        Assert.NotEqual(ReferenceMd5Response("trunk", "carrier.example.net", "pw", "INVITE", "sip:carrier.example.net", "n-1", "00000001", "c0ffee"), sent["response"]);
    }

    [Fact]
    public void Nonce_count_increments_per_nonce_and_restarts_for_a_new_nonce()
    {
        var first = Challenge("realm=\"r\", nonce=\"nonce-a\", qop=\"auth\"");
        var second = Challenge("realm=\"r\", nonce=\"nonce-b\", qop=\"auth\"");
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));

        string Nc(DigestChallenge challenge) => DigestHeaderReader.Parameters(authenticator.Authorize(challenge, "INVITE", "sip:x@r").Value)["nc"];

        Assert.Equal("00000001", Nc(first));
        Assert.Equal("00000002", Nc(first));
        Assert.Equal("00000003", Nc(first));
        Assert.Equal("00000001", Nc(second));
        Assert.Equal("00000004", Nc(first));
        Assert.Equal("00000002", Nc(second));
    }

    [Fact]
    public void Nonce_counts_are_bounded_forgetting_the_oldest_nonce()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));
        var oldest = Challenge("realm=\"r\", nonce=\"n0\", qop=\"auth\"");
        authenticator.Authorize(oldest, "INVITE", "sip:x@r");
        authenticator.Authorize(oldest, "INVITE", "sip:x@r");
        for (int i = 1; i <= DigestAuthenticator.MaxTrackedNonces; i++)
            authenticator.Authorize(Challenge($"realm=\"r\", nonce=\"n{i}\", qop=\"auth\""), "INVITE", "sip:x@r");

        var sent = DigestHeaderReader.Parameters(authenticator.Authorize(oldest, "INVITE", "sip:x@r").Value);

        Assert.Equal("00000001", sent["nc"]);
    }

    [Fact]
    public void Default_cnonce_is_fresh_random_hex_for_every_request()
    {
        var challenge = Challenge("realm=\"r\", nonce=\"n\", qop=\"auth\"");
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));

        var cnonces = Enumerable.Range(0, 20)
            .Select(_ => DigestHeaderReader.Parameters(authenticator.Authorize(challenge, "INVITE", "sip:x@r").Value)["cnonce"])
            .ToList();

        Assert.Equal(20, cnonces.Distinct().Count());
        Assert.All(cnonces, c => Assert.Matches("^[0-9a-f]{32}$", c));
    }

    [Fact]
    public void Echoes_opaque_and_algorithm_and_writes_qop_and_nc_as_tokens()
    {
        var challenge = Challenge("realm=\"r\", nonce=\"n\", opaque=\"op \\\"x\\\"\", algorithm=sha-256, qop=\"auth\"");
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"), cnonceSource: () => "c");

        var value = authenticator.Authorize(challenge, "INVITE", "sip:x@r").Value;
        var sent = DigestHeaderReader.Parameters(value);

        Assert.Equal("op \"x\"", sent["opaque"]);
        Assert.Contains("opaque=\"op \\\"x\\\"\"", value, StringComparison.Ordinal);
        Assert.Equal("SHA-256", sent["algorithm"]);
        Assert.False(DigestHeaderReader.IsQuoted(value, "algorithm"));
        Assert.False(DigestHeaderReader.IsQuoted(value, "qop"));
        Assert.False(DigestHeaderReader.IsQuoted(value, "nc"));
        Assert.True(DigestHeaderReader.IsQuoted(value, "response"));
        Assert.True(DigestHeaderReader.IsQuoted(value, "uri"));
    }

    [Fact]
    public void Omits_algorithm_when_the_challenge_named_none_and_opaque_when_absent()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));

        var sent = DigestHeaderReader.Parameters(authenticator.Authorize(Challenge("realm=\"r\", nonce=\"n\""), "BYE", "sip:x@r").Value);

        Assert.False(sent.ContainsKey("algorithm"));
        Assert.False(sent.ContainsKey("opaque"));
    }

    [Fact]
    public void Chooses_auth_int_only_when_auth_is_not_offered()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));

        var both = DigestHeaderReader.Parameters(authenticator.Authorize(Challenge("realm=\"r\", nonce=\"n\", qop=\"auth-int,auth\""), "INVITE", "sip:x@r").Value);
        var intOnly = DigestHeaderReader.Parameters(authenticator.Authorize(Challenge("realm=\"r\", nonce=\"n2\", qop=\"auth-int\""), "INVITE", "sip:x@r").Value);

        Assert.Equal("auth", both["qop"]);
        Assert.Equal("auth-int", intOnly["qop"]);
    }

    [Fact]
    public void Proxy_challenge_is_answered_with_proxy_authorization()
    {
        Assert.True(DigestChallengeParser.TryParse("Digest realm=\"p\", nonce=\"n\"", isProxy: true, out var challenge, out _));
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));

        var authorization = authenticator.Authorize(challenge, "INVITE", "sip:x@p");

        Assert.True(authorization.IsProxy);
        Assert.Equal("Proxy-Authorization", authorization.HeaderName);
        Assert.Equal("p", authorization.Realm);
    }

    [Fact]
    public void Credentials_restricted_to_a_realm_do_not_answer_another()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p", realm: "carrier.example.net"));
        var foreign = Challenge("realm=\"evil.example.com\", nonce=\"n\"");
        var own = Challenge("realm=\"carrier.example.net\", nonce=\"n\"");

        Assert.False(authenticator.CanAnswer(foreign));
        Assert.True(authenticator.CanAnswer(own));
        Assert.Throws<InvalidOperationException>(() => authenticator.Authorize(foreign, "INVITE", "sip:x@evil.example.com"));
        Assert.Null(authenticator.SelectChallenge([foreign]));
    }

    [Fact]
    public void Unsupported_challenges_cannot_be_answered()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));

        Assert.False(authenticator.CanAnswer(Challenge("realm=\"r\", nonce=\"n\", algorithm=SHA3-256")));
        Assert.False(authenticator.CanAnswer(Challenge("realm=\"r\", nonce=\"n\", qop=\"auth-conf\"")));
        // -sess needs a cnonce, which only travels with a qop.
        Assert.False(authenticator.CanAnswer(Challenge("realm=\"r\", nonce=\"n\", algorithm=MD5-sess")));
        Assert.Throws<InvalidOperationException>(() => authenticator.Authorize(Challenge("realm=\"r\", nonce=\"n\", algorithm=SHA3-256"), "INVITE", "sip:x@r"));
    }

    [Fact]
    public void Selects_the_strongest_supported_algorithm_by_default()
    {
        var offered = new[]
        {
            Challenge("realm=\"r\", nonce=\"1\", algorithm=MD5, qop=\"auth\""),
            Challenge("realm=\"r\", nonce=\"2\", algorithm=SHA3-512, qop=\"auth\""),
            Challenge("realm=\"r\", nonce=\"3\", algorithm=SHA-256, qop=\"auth\""),
            Challenge("realm=\"r\", nonce=\"4\", algorithm=SHA-512-256, qop=\"auth\""),
            Challenge("realm=\"r\", nonce=\"5\", algorithm=SHA-256, qop=\"auth\""),
        };

        Assert.Equal("4", new DigestAuthenticator(new DigestCredentials("u", "p")).SelectChallenge(offered)?.Nonce);
        Assert.Equal("3", new DigestAuthenticator(new DigestCredentials("u", "p")).SelectChallenge([offered[0], offered[2], offered[4]])?.Nonce);
    }

    [Fact]
    public void Selects_the_topmost_supported_challenge_when_following_server_order()
    {
        var offered = new[]
        {
            Challenge("realm=\"r\", nonce=\"1\", algorithm=SHA3-512, qop=\"auth\""),
            Challenge("realm=\"r\", nonce=\"2\", algorithm=SHA-256, qop=\"auth\""),
            Challenge("realm=\"r\", nonce=\"3\", algorithm=SHA-512-256, qop=\"auth\""),
        };

        Assert.Equal("2", new DigestAuthenticator(new DigestCredentials("u", "p"), preferServerOrder: true).SelectChallenge(offered)?.Nonce);
    }

    [Fact]
    public void Username_outside_ascii_is_sent_as_an_extended_parameter()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("J\u00e4s\u00f8n Doe", "p"), cnonceSource: () => "c");

        var value = authenticator.Authorize(Challenge("realm=\"r\", nonce=\"n\", charset=UTF-8, qop=\"auth\""), "INVITE", "sip:x@r").Value;

        Assert.StartsWith("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ", value, StringComparison.Ordinal);
    }

    [Fact]
    public void Realm_and_nonce_with_quotes_are_escaped_when_echoed()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));

        var value = authenticator.Authorize(Challenge("realm=\"a \\\"quoted\\\" \\\\ realm\", nonce=\"n\""), "INVITE", "sip:x@r").Value;

        Assert.Contains("realm=\"a \\\"quoted\\\" \\\\ realm\"", value, StringComparison.Ordinal);
        Assert.Equal("a \"quoted\" \\ realm", DigestHeaderReader.Parameters(value)["realm"]);
    }

    [Fact]
    public void Rejects_empty_method_or_request_uri()
    {
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", "p"));
        var challenge = Challenge("realm=\"r\", nonce=\"n\"");

        Assert.Throws<ArgumentException>(() => authenticator.Authorize(challenge, "", "sip:x@r"));
        Assert.Throws<ArgumentException>(() => authenticator.Authorize(challenge, "INVITE", ""));
        Assert.Throws<ArgumentException>(() => new DigestCredentials("", "p"));
    }

    [Fact]
    public void Credentials_do_not_show_the_password()
    {
        var credentials = new DigestCredentials("trunk", "hunter2", "carrier.example.net");

        Assert.DoesNotContain("hunter2", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_values_are_hashed_correctly_beyond_the_stack_buffer()
    {
        string longUri = "sip:" + new string('a', 2000) + "@carrier.example.net";
        string longPassword = new('p', 900);
        var authenticator = new DigestAuthenticator(new DigestCredentials("u", longPassword), cnonceSource: () => "c");

        var sent = DigestHeaderReader.Parameters(authenticator.Authorize(Challenge("realm=\"r\", nonce=\"n\", qop=\"auth\""), "INVITE", longUri).Value);

        Assert.Equal(ReferenceMd5Response("u", "r", longPassword, "INVITE", longUri, "n", "00000001", "c"), sent["response"]);
    }

    private static DigestChallenge Challenge(string parameters)
    {
        Assert.True(DigestChallengeParser.TryParse("Digest " + parameters, isProxy: false, out var challenge, out var error), error);
        return challenge;
    }

    private static string ReferenceMd5Response(string user, string realm, string password, string method, string uri, string nonce, string nc, string cnonce)
    {
        static string H(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
        return H($"{H($"{user}:{realm}:{password}")}:{nonce}:{nc}:{cnonce}:auth:{H($"{method}:{uri}")}");
    }
}
