using System.Security.Cryptography;
using System.Text;

namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// Answers Digest challenges with one trunk's credentials (RFC 3261 §22.2–22.4, RFC 7616,
/// RFC 8760): computes Authorization / Proxy-Authorization values, counts requests per nonce,
/// and picks the challenge to answer when several are offered. Thread-safe; one per trunk.
/// For the retry policy of a single request, see <see cref="DigestAuthAttempt"/>.
/// </summary>
public sealed class DigestAuthenticator
{
    /// <summary>How many nonces' counts are remembered; the oldest is forgotten first.</summary>
    public const int MaxTrackedNonces = 64;

    private readonly Func<string> _cnonceSource;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, uint> _nonceCounts = new(StringComparer.Ordinal);
    private readonly Queue<string> _nonceOrder = new();

    /// <param name="credentials">The trunk's username, password and optional realm.</param>
    /// <param name="preferServerOrder">
    /// False (the default): answer the strongest algorithm offered for a realm, a local policy that
    /// RFC 8760 §2.4 allows. True: answer the topmost supported challenge, the server's order of
    /// preference (RFC 7616 §3.7).
    /// </param>
    /// <param name="cnonceSource">Makes client nonces; the default is 128 random bits in hex. Tests pass fixed values.</param>
    public DigestAuthenticator(DigestCredentials credentials, bool preferServerOrder = false, Func<string>? cnonceSource = null)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Credentials = credentials;
        PreferServerOrder = preferServerOrder;
        _cnonceSource = cnonceSource ?? NewCnonce;
    }

    public DigestCredentials Credentials { get; }

    public bool PreferServerOrder { get; }

    /// <summary>True when these credentials cover the challenge's realm and its algorithm and qop can be computed.</summary>
    public bool CanAnswer(DigestChallenge challenge)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        return challenge.IsSupported && Credentials.Covers(challenge.Realm);
    }

    /// <summary>
    /// The challenge to answer among <paramref name="challenges"/> (typically the several
    /// WWW-Authenticate fields of one 401, one per algorithm), or null when none can be answered.
    /// </summary>
    public DigestChallenge? SelectChallenge(IReadOnlyList<DigestChallenge> challenges)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        DigestChallenge? best = null;
        foreach (var challenge in challenges)
        {
            if (!CanAnswer(challenge))
                continue;
            if (PreferServerOrder)
                return challenge;
            // Strictly stronger only: between equals, the server's order decides.
            if (best is null || Strength(challenge.Algorithm) > Strength(best.Algorithm))
                best = challenge;
        }
        return best;
    }

    /// <summary>
    /// Computes the credentials for one request. <paramref name="requestUri"/> must be the
    /// Request-URI exactly as it appears on the request line: it is the digest-uri (RFC 3261 §22.4)
    /// and a server that checks it rejects anything else. Each call with the same nonce counts one
    /// more request (nc=00000001, 00000002, ...). <paramref name="body"/> matters only for qop=auth-int.
    /// </summary>
    /// <exception cref="InvalidOperationException">The challenge cannot be answered (see <see cref="CanAnswer"/>).</exception>
    public DigestAuthorization Authorize(DigestChallenge challenge, string method, string requestUri, ReadOnlySpan<byte> body = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(requestUri);
        if (!Credentials.Covers(challenge.Realm))
            throw new InvalidOperationException($"The credentials for {Credentials} do not cover realm \"{challenge.Realm}\".");
        if (!challenge.IsSupported)
            throw new InvalidOperationException($"The challenge cannot be answered: {challenge}.");

        // qop=auth when offered; auth-int only when it is all the server offers (RFC 7616 §3.3
        // leaves the choice to the client, and auth-int would tie the credentials to one body).
        var qop = (challenge.Qop & DigestQop.Auth) != 0 ? DigestQop.Auth
            : (challenge.Qop & DigestQop.AuthInt) != 0 ? DigestQop.AuthInt
            : DigestQop.None;
        string? nonceCount = null;
        string? cnonce = null;
        if (qop != DigestQop.None)
        {
            nonceCount = NextNonceCount(challenge.Nonce).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
            cnonce = _cnonceSource();
            if (string.IsNullOrEmpty(cnonce) || cnonce.Contains('"') || cnonce.Contains('\\'))
                throw new InvalidOperationException("The cnonce source returned an empty or unquotable value.");
        }

        string response = DigestResponse.Compute(
            challenge.Algorithm, Credentials.Username, challenge.Realm, Credentials.Password,
            challenge.Nonce, nonceCount, cnonce, qop, method, requestUri, body);

        var header = new StringBuilder(256).Append("Digest ");
        if (challenge.UserHash)
            AppendQuoted(header, "username", DigestResponse.HashUsername(challenge.Algorithm, Credentials.Username, challenge.Realm));
        else if (NeedsExtendedUsername(Credentials.Username))
            AppendExtendedUsername(header, Credentials.Username);
        else
            AppendQuoted(header, "username", Credentials.Username);
        header.Append(", ");
        AppendQuoted(header, "realm", challenge.Realm);
        header.Append(", ");
        AppendQuoted(header, "nonce", challenge.Nonce);
        header.Append(", ");
        AppendQuoted(header, "uri", requestUri);
        header.Append(", ");
        AppendQuoted(header, "response", response);
        if (challenge.AlgorithmToken is not null)
            header.Append(", algorithm=").Append(DigestAlgorithms.Name(challenge.Algorithm));
        if (cnonce is not null)
        {
            header.Append(", ");
            AppendQuoted(header, "cnonce", cnonce);
        }
        if (challenge.Opaque is not null)
        {
            header.Append(", ");
            AppendQuoted(header, "opaque", challenge.Opaque);
        }
        if (qop != DigestQop.None)
        {
            // qop and nc are tokens in the credentials, unquoted (RFC 3261 §25.1 message-qop, nonce-count).
            header.Append(", qop=").Append(qop == DigestQop.AuthInt ? "auth-int" : "auth");
            header.Append(", nc=").Append(nonceCount);
        }
        if (challenge.UserHash)
            header.Append(", userhash=true");

        return new DigestAuthorization(challenge.IsProxy, challenge.Realm, header.ToString());
    }

    // RFC 8760 §2.1 / RFC 7616 §3.7: SHA-512/256 over SHA-256 over MD5; -sess does not change strength.
    private static int Strength(DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Sha512_256 or DigestAlgorithm.Sha512_256Sess => 3,
        DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess => 2,
        DigestAlgorithm.Md5 or DigestAlgorithm.Md5Sess => 1,
        _ => 0,
    };

    private uint NextNonceCount(string nonce)
    {
        lock (_lock)
        {
            if (_nonceCounts.TryGetValue(nonce, out uint count))
            {
                // nc is 8 hex digits: after 2^32 - 1 requests the nonce cannot be used any more;
                // start again at 1 and let the server answer stale.
                count = count == uint.MaxValue ? 1 : count + 1;
                _nonceCounts[nonce] = count;
                return count;
            }

            _nonceCounts[nonce] = 1;
            _nonceOrder.Enqueue(nonce);
            if (_nonceOrder.Count > MaxTrackedNonces)
                _nonceCounts.Remove(_nonceOrder.Dequeue());
            return 1;
        }
    }

    private static string NewCnonce()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Convert.ToHexStringLower(random);
    }

    private static void AppendQuoted(StringBuilder header, string name, string value)
    {
        header.Append(name).Append("=\"");
        foreach (char c in value)
        {
            if (c is '"' or '\\')
                header.Append('\\');
            header.Append(c);
        }
        header.Append('"');
    }

    // A username that a quoted-string cannot carry as-is goes in username* (RFC 7616 §3.4.4).
    private static bool NeedsExtendedUsername(string username)
    {
        foreach (char c in username)
        {
            if (c > 0x7E || char.IsControl(c))
                return true;
        }
        return false;
    }

    // ext-value = charset "'" [ language ] "'" value-chars (RFC 5987 §3.2.1).
    private static void AppendExtendedUsername(StringBuilder header, string username)
    {
        header.Append("username*=UTF-8''");
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in username.EnumerateRunes())
        {
            int length = rune.EncodeToUtf8(utf8);
            for (int i = 0; i < length; i++)
            {
                byte b = utf8[i];
                if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'&' or (byte)'+'
                    or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~')
                    header.Append((char)b);
                else
                    header.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
