using BenchmarkDotNet.Attributes;
using Dialtone.Engine.Sip.Auth;

namespace Dialtone.Benchmarks.Auth;

/// <summary>
/// The digest path runs once per challenged request (a 401/407 and its retry), so it allocates
/// strings; these figures show that it stays small beside the call it authenticates.
/// </summary>
[MemoryDiagnoser]
public class DigestBenchmarks
{
    private const string Challenge =
        "Digest realm=\"carrier.example.net\", nonce=\"5f3a9c1e7b2d4a60e1f2a3b4c5d6e7f8\", algorithm=MD5, qop=\"auth\", opaque=\"b1946ac92492d234\"";

    private const string RequestUri = "sip:+15551234567@carrier.example.net;user=phone";

    private DigestAuthenticator _authenticator = null!;
    private DigestChallenge _md5 = null!;
    private DigestChallenge _sha256 = null!;
    private DigestChallenge _sha512_256 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _authenticator = new DigestAuthenticator(new DigestCredentials("trunk-4471", "s3cr3t!"), cnonceSource: () => "0a4f113b8d2e6c71");
        _md5 = Parse(Challenge);
        _sha256 = Parse(Challenge.Replace("MD5", "SHA-256", StringComparison.Ordinal));
        _sha512_256 = Parse(Challenge.Replace("MD5", "SHA-512-256", StringComparison.Ordinal));
    }

    [Benchmark]
    public DigestChallenge? ParseChallenge() =>
        DigestChallengeParser.TryParse(Challenge, isProxy: true, out var challenge, out _) ? challenge : null;

    [Benchmark(Baseline = true)]
    public string AuthorizeMd5() => _authenticator.Authorize(_md5, "INVITE", RequestUri).Value;

    [Benchmark]
    public string AuthorizeSha256() => _authenticator.Authorize(_sha256, "INVITE", RequestUri).Value;

    [Benchmark]
    public string AuthorizeSha512_256() => _authenticator.Authorize(_sha512_256, "INVITE", RequestUri).Value;

    private static DigestChallenge Parse(string value) =>
        DigestChallengeParser.TryParse(value, isProxy: true, out var challenge, out var error)
            ? challenge
            : throw new InvalidOperationException(error);
}
