using System.Text;
using Dialtone.Engine.Sip.Headers;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Tests.Headers;

public class SipAuthenticationHeaderTests
{
    private static string T(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static string Unquote(ReadOnlySpan<byte> raw)
    {
        Span<byte> buffer = stackalloc byte[256];
        Assert.True(SipAuthenticationHeader.TryUnquote(raw, buffer, out int n));
        return Encoding.UTF8.GetString(buffer[..n]);
    }

    [Fact]
    public void Reads_a_folded_digest_challenge_from_a_401()
    {
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Message("register-challenge-401.sip")).IsSuccess);
        Assert.True(SipAuthenticationHeader.TryParse(m.GetValue(SipHeaderId.WwwAuthenticate), out var c));
        Assert.True(c.IsDigest);
        Assert.Equal("atlanta.example.com", Unquote(c.Realm));
        Assert.Equal("ea9c8e88df84f1cec4341ae6cbe5a359", Unquote(c.Nonce));
        Assert.Equal("\"\"", T(c.Opaque));
        Assert.Equal("", Unquote(c.Opaque));
        Assert.Equal("MD5", T(c.Algorithm));
        Assert.False(c.IsStale);
        Assert.True(c.QopContains("auth"u8));
        Assert.True(c.QopContains("auth-int"u8));
        Assert.False(c.QopContains("auth-conf"u8));
    }

    [Fact]
    public void Reads_digest_credentials_from_an_authorization()
    {
        var m = new SipMessage();
        Assert.True(m.Parse(TestFiles.Message("register-authorized.sip")).IsSuccess);
        Assert.True(SipAuthenticationHeader.TryParse(m.GetValue(SipHeaderId.Authorization), out var a));
        Assert.Equal("bob", Unquote(a.Username));
        Assert.Equal("sips:ss2.biloxi.example.com", Unquote(a.Uri));
        Assert.Equal("dfe56131d1958046689d83306477ecc", Unquote(a.Response));
        Assert.Equal("0a4f113b", Unquote(a.CNonce));
        Assert.Equal("00000001", T(a.NonceCount));
        Assert.Equal("auth", T(a.Qop));
        Assert.True(a.TryGetParameter("ALGORITHM"u8, out var alg));
        Assert.Equal("MD5", T(alg));
        Assert.True(a.Domain.IsEmpty);
    }

    [Fact]
    public void Unescapes_quoted_pairs_and_reads_stale()
    {
        Assert.True(SipAuthenticationHeader.TryParse("Digest realm=\"a \\\"quoted\\\" realm\", stale=\"TRUE\", nonce=abc"u8, out var c));
        Assert.Equal("a \"quoted\" realm", Unquote(c.Realm));
        Assert.True(c.IsStale);
        Assert.Equal("abc", T(c.Nonce));
    }

    [Fact]
    public void Accepts_unknown_schemes()
    {
        Assert.True(SipAuthenticationHeader.TryParse("NoOneKnowsThisScheme opaque-data=here"u8, out var c));
        Assert.False(c.IsDigest);
        Assert.Equal("NoOneKnowsThisScheme", T(c.Scheme));
        Assert.True(c.TryGetParameter("opaque-data"u8, out var v));
        Assert.Equal("here", T(v));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Digest realm")]
    [InlineData("Digest realm=")]
    [InlineData("Digest realm=\"unterminated")]
    [InlineData("Digest realm=\"a\" nonce=\"b\"")]
    [InlineData("Digest =x")]
    [InlineData("Digestrealm=\"x\"")]
    public void Rejects_malformed_challenges(string text)
    {
        Assert.False(SipAuthenticationHeader.TryParse(Encoding.UTF8.GetBytes(text), out _), text);
    }

    [Fact]
    public void Unquote_fails_cleanly_when_the_buffer_is_small()
    {
        Span<byte> tiny = stackalloc byte[3];
        Assert.False(SipAuthenticationHeader.TryUnquote("\"abcdef\""u8, tiny, out _));
    }
}
