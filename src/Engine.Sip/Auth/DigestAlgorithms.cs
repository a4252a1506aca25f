using System.Security.Cryptography;

namespace Dialtone.Engine.Sip.Auth;

/// <summary>Names and hash functions of the <see cref="DigestAlgorithm"/> values.</summary>
public static class DigestAlgorithms
{
    /// <summary>The longest hex digest produced (SHA-256 and SHA-512/256: 64 characters).</summary>
    internal const int MaxHexLength = 64;

    /// <summary>The token of RFC 7616 §6.1's registry, as sent in <c>algorithm=</c>.</summary>
    public static string Name(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5 => "MD5",
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Sess => "SHA-256-sess",
        DigestAlgorithm.Sha512_256 => "SHA-512-256",
        DigestAlgorithm.Sha512_256Sess => "SHA-512-256-sess",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a known digest algorithm."),
    };

    /// <summary>Maps an <c>algorithm=</c> token (case-insensitive, RFC 7616 §3.3) to its value;
    /// anything else is <see cref="DigestAlgorithm.Unknown"/>.</summary>
    public static DigestAlgorithm Parse(ReadOnlySpan<char> token)
    {
        if (token.Equals("MD5", StringComparison.OrdinalIgnoreCase))
            return DigestAlgorithm.Md5;
        if (token.Equals("MD5-sess", StringComparison.OrdinalIgnoreCase))
            return DigestAlgorithm.Md5Sess;
        if (token.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
            return DigestAlgorithm.Sha256;
        if (token.Equals("SHA-256-sess", StringComparison.OrdinalIgnoreCase))
            return DigestAlgorithm.Sha256Sess;
        if (token.Equals("SHA-512-256", StringComparison.OrdinalIgnoreCase))
            return DigestAlgorithm.Sha512_256;
        if (token.Equals("SHA-512-256-sess", StringComparison.OrdinalIgnoreCase))
            return DigestAlgorithm.Sha512_256Sess;
        return DigestAlgorithm.Unknown;
    }

    /// <summary>True for the "-sess" variants, whose A1 includes the nonce and cnonce (RFC 7616 §3.4.2).</summary>
    public static bool IsSession(DigestAlgorithm algorithm) =>
        algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess or DigestAlgorithm.Sha512_256Sess;

    /// <summary>Hashes <paramref name="data"/> and writes the lowercase hex digest (RFC 7616 §3.4:
    /// "the hexadecimal representation ... in lowercase") as ASCII; returns its length.</summary>
    internal static int HashToHex(DigestAlgorithm algorithm, ReadOnlySpan<byte> data, Span<byte> hexDestination)
    {
        Span<byte> digest = stackalloc byte[32];
        int length = algorithm switch
        {
            DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess => MD5.HashData(data, digest),
            DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess => SHA256.HashData(data, digest),
            DigestAlgorithm.Sha512_256 or DigestAlgorithm.Sha512_256Sess => Sha512_256.HashData(data, digest),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a known digest algorithm."),
        };

        for (int i = 0; i < length; i++)
        {
            hexDestination[2 * i] = HexDigit(digest[i] >> 4);
            hexDestination[2 * i + 1] = HexDigit(digest[i] & 0xF);
        }
        return 2 * length;

        static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
    }
}
