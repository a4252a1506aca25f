using System.Text;
using Dialtone.Engine.Sip.Auth;
using Dialtone.Engine.Sip.Headers;

namespace Dialtone.Engine.Sip.Tests.UserAgent;

/// <summary>Checks a Digest Authorization / Proxy-Authorization value the way a server would (RFC 2617, RFC 7616).</summary>
internal static class TestDigestVerifier
{
    public static bool IsValid(string? header, string method, string expectedUri, string username, string password, string realm, string nonce)
    {
        if (header is null || !SipAuthenticationHeader.TryParse(Encoding.ASCII.GetBytes(header), out SipAuthenticationHeader credentials) || !credentials.IsDigest)
            return false;
        string Value(ReadOnlySpan<byte> raw)
        {
            Span<byte> buffer = stackalloc byte[512];
            return SipAuthenticationHeader.TryUnquote(raw, buffer, out int n) ? Encoding.UTF8.GetString(buffer[..n]) : Encoding.UTF8.GetString(raw);
        }
        string uri = Value(credentials.Uri);
        string? nc = credentials.NonceCount.IsEmpty ? null : Value(credentials.NonceCount);
        string? cnonce = credentials.CNonce.IsEmpty ? null : Value(credentials.CNonce);
        DigestQop qop = credentials.Qop.IsEmpty ? DigestQop.None : DigestQop.Auth;
        if (Value(credentials.Username) != username || Value(credentials.Realm) != realm || Value(credentials.Nonce) != nonce || uri != expectedUri)
            return false;
        string expected = DigestResponse.Compute(DigestAlgorithm.Md5, username, realm, password, nonce, nc, cnonce, qop, method, uri, default);
        return Value(credentials.Response) == expected;
    }
}
