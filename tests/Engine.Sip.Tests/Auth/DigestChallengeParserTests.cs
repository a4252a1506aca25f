using Dialtone.Engine.Sip.Auth;

namespace Dialtone.Engine.Sip.Tests.Auth;

public sealed class DigestChallengeParserTests
{
    [Fact]
    public void Reads_every_parameter_of_an_rfc7616_challenge()
    {
        const string value = "Digest realm=\"carrier.example.net\", domain=\"sip:carrier.example.net sip:backup.example.net\", "
            + "nonce=\"84a4cc6f3082121f32b42a2187831a9e\", opaque=\"5ccc069c\", stale=false, algorithm=SHA-256, "
            + "qop=\"auth,auth-int\", charset=UTF-8, userhash=true";

        Assert.True(DigestChallengeParser.TryParse(value, isProxy: true, out var challenge, out var error), error);

        Assert.Equal("carrier.example.net", challenge.Realm);
        Assert.Equal("sip:carrier.example.net sip:backup.example.net", challenge.Domain);
        Assert.Equal("84a4cc6f3082121f32b42a2187831a9e", challenge.Nonce);
        Assert.Equal("5ccc069c", challenge.Opaque);
        Assert.False(challenge.Stale);
        Assert.Equal(DigestAlgorithm.Sha256, challenge.Algorithm);
        Assert.Equal("SHA-256", challenge.AlgorithmToken);
        Assert.Equal(DigestQop.Auth | DigestQop.AuthInt, challenge.Qop);
        Assert.True(challenge.HasQop);
        Assert.Equal("UTF-8", challenge.Charset);
        Assert.True(challenge.UserHash);
        Assert.True(challenge.IsProxy);
        Assert.True(challenge.IsSupported);
    }

    [Fact]
    public void Challenge_without_algorithm_or_qop_is_md5_in_the_rfc2069_form()
    {
        Assert.True(DigestChallengeParser.TryParse("Digest realm=\"r\", nonce=\"n\"", isProxy: false, out var challenge, out _));

        Assert.Equal(DigestAlgorithm.Md5, challenge.Algorithm);
        Assert.Null(challenge.AlgorithmToken);
        Assert.Equal(DigestQop.None, challenge.Qop);
        Assert.False(challenge.HasQop);
        Assert.Null(challenge.Opaque);
        Assert.False(challenge.IsProxy);
        Assert.True(challenge.IsSupported);
    }

    public static TheoryData<string, string, string, string, string, string> ToleratedValues()
    {
        var data = new TheoryData<string, string, string, string, string, string>();
        foreach (var row in AuthVectors.TabSeparatedRows("tolerated-challenges.txt"))
            data.Add(row[0], row[1], row[2], row[3], row[4], row[5]);
        return data;
    }

    [Theory]
    [MemberData(nameof(ToleratedValues))]
    public void Tolerates_odd_but_readable_challenges(string realm, string nonce, string algorithm, string qop, string stale, string value)
    {
        Assert.True(DigestChallengeParser.TryParse(AuthVectors.Unescape(value), isProxy: false, out var challenge, out var error), error);

        Assert.Equal(realm, challenge.Realm);
        Assert.Equal(nonce, challenge.Nonce);
        Assert.Equal(algorithm == "MD5" ? DigestAlgorithm.Md5 : Enum.Parse<DigestAlgorithm>(algorithm), challenge.Algorithm);
        Assert.Equal(Enum.Parse<DigestQop>(qop), challenge.Qop);
        Assert.Equal(bool.Parse(stale), challenge.Stale);
    }

    public static TheoryData<string, string> HostileValues()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in AuthVectors.TabSeparatedRows("hostile-challenges.txt"))
            data.Add(row[0], row.Length > 1 ? row[1] : "");
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Rejects_hostile_challenges_with_a_reason(string expectedError, string value)
    {
        Assert.False(DigestChallengeParser.TryParse(AuthVectors.Unescape(value), isProxy: false, out var challenge, out var error));

        Assert.Null(challenge);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nonce", 1025)]
    [InlineData("realm", 5000)]
    [InlineData("opaque", 1025)]
    public void Rejects_huge_values_quoted_or_not(string parameter, int length)
    {
        string Challenge(string value) => parameter switch
        {
            "nonce" => $"Digest realm=\"r\", nonce={value}",
            "realm" => $"Digest realm={value}, nonce=\"n\"",
            _ => $"Digest realm=\"r\", nonce=\"n\", {parameter}={value}",
        };
        string huge = new('x', length);

        Assert.False(DigestChallengeParser.TryParse(Challenge($"\"{huge}\""), isProxy: false, out _, out var quotedError));
        Assert.False(DigestChallengeParser.TryParse(Challenge(huge), isProxy: false, out _, out var tokenError));

        Assert.Contains("longer than", quotedError, StringComparison.Ordinal);
        Assert.Contains("longer than", tokenError, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_huge_header_and_too_many_parameters()
    {
        string huge = "Digest realm=\"r\", nonce=\"n\"" + string.Concat(Enumerable.Repeat(", x=\"" + new string('z', 500) + "\"", 20));
        string many = "Digest realm=\"r\", nonce=\"n\"" + string.Concat(Enumerable.Range(0, 40).Select(i => $", p{i}=v"));

        Assert.False(DigestChallengeParser.TryParse(huge, isProxy: false, out _, out var error));
        Assert.Contains("longer than", error, StringComparison.Ordinal);
        Assert.False(DigestChallengeParser.TryParse(many, isProxy: false, out _, out error));
        Assert.Contains("more than 32 parameters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_several_challenges_in_one_value_and_skips_other_schemes()
    {
        const string value = "Basic realm=\"basic\", Digest realm=\"a\", nonce=\"1\", algorithm=SHA-256, "
            + "Bearer realm=\"b\", error=\"invalid_token\", Digest realm=\"a\", nonce=\"2\", algorithm=MD5";
        var challenges = new List<DigestChallenge>();

        Assert.True(DigestChallengeParser.TryParseAll(value, isProxy: false, challenges, out var error), error);

        Assert.Equal(["1", "2"], challenges.Select(c => c.Nonce));
        Assert.Equal([DigestAlgorithm.Sha256, DigestAlgorithm.Md5], challenges.Select(c => c.Algorithm));
    }

    [Fact]
    public void Keeps_the_readable_challenge_when_another_in_the_same_value_lacks_a_nonce()
    {
        var challenges = new List<DigestChallenge>();

        Assert.True(DigestChallengeParser.TryParseAll("Digest realm=\"a\", Digest realm=\"b\", nonce=\"2\"", isProxy: false, challenges, out _));

        Assert.Equal("b", Assert.Single(challenges).Realm);
    }

    [Fact]
    public void Random_garbage_never_throws_and_always_says_why_when_rejected()
    {
        var random = new Random(3261);
        const string alphabet = "Digest realm=nonce\"\\, \t\r\nqop=auth-int;algorithm=SHA-256\0\u00e9\u2028=,,\"\"";
        var seed = "Digest realm=\"carrier.example.net\", nonce=\"84a4cc6f\", qop=\"auth\", algorithm=MD5, opaque=\"x\"";
        for (int i = 0; i < 20_000; i++)
        {
            var chars = seed.ToCharArray();
            int mutations = random.Next(1, 6);
            for (int m = 0; m < mutations; m++)
                chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)];
            string value = random.Next(4) == 0
                ? new string(Enumerable.Range(0, random.Next(0, 80)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray())
                : new string(chars);

            bool parsed = DigestChallengeParser.TryParse(value, isProxy: false, out var challenge, out var error);

            if (parsed)
            {
                Assert.NotNull(challenge);
                Assert.NotEmpty(challenge.Nonce);
                Assert.DoesNotContain(challenge.Realm + challenge.Nonce + challenge.Opaque, c => c is '\r' or '\n' or '\0');
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        }
    }
}
