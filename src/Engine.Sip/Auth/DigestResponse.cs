using System.Security.Cryptography;
using System.Text;

namespace Dialtone.Engine.Sip.Auth;

/// <summary>The request-digest computation of RFC 2617 §3.2.2 / RFC 7616 §3.4.1.</summary>
internal static class DigestResponse
{
    /// <summary>
    /// Computes the <c>response=</c> value. <paramref name="qop"/> is the single option chosen
    /// (<see cref="DigestQop.None"/> for the RFC 2069 form); <paramref name="nonceCount"/> and
    /// <paramref name="cnonce"/> are required with a qop and for the "-sess" algorithms.
    /// </summary>
    public static string Compute(
        DigestAlgorithm algorithm,
        string username,
        string realm,
        string password,
        string nonce,
        string? nonceCount,
        string? cnonce,
        DigestQop qop,
        string method,
        string digestUri,
        ReadOnlySpan<byte> body)
    {
        Span<byte> ha1 = stackalloc byte[DigestAlgorithms.MaxHexLength];
        Span<byte> ha2 = stackalloc byte[DigestAlgorithms.MaxHexLength];
        Span<byte> response = stackalloc byte[DigestAlgorithms.MaxHexLength];
        var input = new DigestInputWriter(stackalloc byte[512]);
        try
        {
            // A1 = unq(username) ":" unq(realm) ":" passwd (RFC 7616 §3.4.2)
            input.Append(username);
            input.AppendColon();
            input.Append(realm);
            input.AppendColon();
            input.Append(password);
            int ha1Length = DigestAlgorithms.HashToHex(algorithm, input.Written, ha1);
            input.Clear();

            if (DigestAlgorithms.IsSession(algorithm))
            {
                // -sess: A1 = H(user:realm:passwd) ":" unq(nonce) ":" unq(cnonce)
                input.Append(ha1[..ha1Length]);
                input.AppendColon();
                input.Append(nonce);
                input.AppendColon();
                input.Append(cnonce);
                ha1Length = DigestAlgorithms.HashToHex(algorithm, input.Written, ha1);
                input.Clear();
            }

            // A2 = Method ":" request-uri [ ":" H(entity-body) ] (RFC 7616 §3.4.3)
            input.Append(method);
            input.AppendColon();
            input.Append(digestUri);
            if (qop == DigestQop.AuthInt)
            {
                Span<byte> bodyHash = stackalloc byte[DigestAlgorithms.MaxHexLength];
                int bodyHashLength = DigestAlgorithms.HashToHex(algorithm, body, bodyHash);
                input.AppendColon();
                input.Append(bodyHash[..bodyHashLength]);
            }
            int ha2Length = DigestAlgorithms.HashToHex(algorithm, input.Written, ha2);
            input.Clear();

            // KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)), or without qop the RFC 2069
            // form KD(H(A1), nonce ":" H(A2)) (RFC 2617 §3.2.2.1).
            input.Append(ha1[..ha1Length]);
            input.AppendColon();
            input.Append(nonce);
            input.AppendColon();
            if (qop != DigestQop.None)
            {
                input.Append(nonceCount);
                input.AppendColon();
                input.Append(cnonce);
                input.AppendColon();
                input.Append(qop == DigestQop.AuthInt ? "auth-int" : "auth");
                input.AppendColon();
            }
            input.Append(ha2[..ha2Length]);
            int responseLength = DigestAlgorithms.HashToHex(algorithm, input.Written, response);
            return Encoding.ASCII.GetString(response[..responseLength]);
        }
        finally
        {
            input.Dispose();
            CryptographicOperations.ZeroMemory(ha1);
        }
    }

    /// <summary>The hashed username of RFC 7616 §3.4.4: H(unq(username) ":" unq(realm)).</summary>
    public static string HashUsername(DigestAlgorithm algorithm, string username, string realm)
    {
        Span<byte> hash = stackalloc byte[DigestAlgorithms.MaxHexLength];
        var input = new DigestInputWriter(stackalloc byte[256]);
        try
        {
            input.Append(username);
            input.AppendColon();
            input.Append(realm);
            int length = DigestAlgorithms.HashToHex(algorithm, input.Written, hash);
            return Encoding.ASCII.GetString(hash[..length]);
        }
        finally
        {
            input.Dispose();
        }
    }
}
