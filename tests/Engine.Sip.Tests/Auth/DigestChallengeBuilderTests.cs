using Dialtone.Engine.Sip.Auth;

namespace Dialtone.Engine.Sip.Tests.Auth;

public sealed class DigestChallengeBuilderTests
{
    [Fact]
    public void Builds_a_challenge_from_utf8_name_value_pairs_quoted_or_not()
    {
        var builder = new DigestChallengeBuilder { IsProxy = true };
        builder.Add("realm"u8, "\"carrier.example.net\""u8)
            .Add("NONCE"u8, "\"ab\\\"cd\""u8)
            .Add("algorithm"u8, "SHA-512-256"u8)
            .Add("qop"u8, "\"auth\""u8)
            .Add("stale"u8, "TRUE"u8);

        Assert.True(builder.TryBuild(out var challenge, out var error), error);

        Assert.Equal("carrier.example.net", challenge.Realm);
        Assert.Equal("ab\"cd", challenge.Nonce);
        Assert.Equal(DigestAlgorithm.Sha512_256, challenge.Algorithm);
        Assert.Equal(DigestQop.Auth, challenge.Qop);
        Assert.True(challenge.Stale);
        Assert.True(challenge.IsProxy);
    }

    [Fact]
    public void Decodes_utf8_realms()
    {
        var builder = new DigestChallengeBuilder();
        builder.Add("realm"u8, "\"caf\u00e9.example\""u8).Add("nonce"u8, "n"u8);

        Assert.True(builder.TryBuild(out var challenge, out _));
        Assert.Equal("caf\u00e9.example", challenge.Realm);
    }

    [Fact]
    public void Rejects_invalid_utf8_and_keeps_the_first_error()
    {
        var builder = new DigestChallengeBuilder();
        builder.Add("realm"u8, [0x22, 0xC3, 0x28, 0x22]).Add("nonce"u8, "\"\""u8);

        Assert.False(builder.TryBuild(out var challenge, out var error));
        Assert.Null(challenge);
        Assert.Equal("a parameter value is not valid UTF-8", error);
    }

    [Fact]
    public void Rejects_an_unterminated_quote_and_an_over_long_name()
    {
        var unterminated = new DigestChallengeBuilder().Add("realm"u8, "\"abc"u8);
        var longName = new DigestChallengeBuilder().Add(new byte[100], "x"u8);

        Assert.False(unterminated.TryBuild(out _, out var error));
        Assert.Equal("unterminated quoted-string", error);
        Assert.False(longName.TryBuild(out _, out error));
        Assert.Equal("a parameter name is too long", error);
    }

    [Fact]
    public void Reset_makes_the_builder_reusable()
    {
        var builder = new DigestChallengeBuilder();
        builder.Add("realm"u8, "\"a\""u8).Add("realm"u8, "\"b\""u8);
        Assert.False(builder.TryBuild(out _, out _));

        builder.Reset();
        builder.Add("realm"u8, "\"c\""u8).Add("nonce"u8, "\"n\""u8);

        Assert.True(builder.TryBuild(out var challenge, out _));
        Assert.Equal("c", challenge.Realm);
    }
}
