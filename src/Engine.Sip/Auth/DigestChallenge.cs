namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// One Digest challenge from a WWW-Authenticate (401) or Proxy-Authenticate (407) header field
/// (RFC 3261 §22, RFC 7616 §3.3, RFC 8760 §2), independent of how the message was parsed. Build it
/// with <see cref="DigestChallengeBuilder"/> from name/value pairs or with
/// <see cref="DigestChallengeParser"/> from a raw header value.
/// </summary>
public sealed class DigestChallenge
{
    /// <summary>The protection space; credentials are chosen by it (RFC 3261 §22.1).</summary>
    public required string Realm { get; init; }

    public required string Nonce { get; init; }

    /// <summary>Returned unchanged in the Authorization when present (RFC 7616 §3.3).</summary>
    public string? Opaque { get; init; }

    /// <summary>MD5 when the challenge names no algorithm (RFC 7616 §3.3).</summary>
    public DigestAlgorithm Algorithm { get; init; } = DigestAlgorithm.Md5;

    /// <summary>The <c>algorithm=</c> token exactly as received, or null when the challenge had none
    /// (then the Authorization carries none either, as RFC 2617 clients do).</summary>
    public string? AlgorithmToken { get; init; }

    /// <summary>The qop options offered that this client knows; <see cref="DigestQop.None"/> when none.</summary>
    public DigestQop Qop { get; init; }

    /// <summary>True when the challenge had a <c>qop</c> parameter, even one naming only unknown options.</summary>
    public bool HasQop { get; init; }

    /// <summary>The previous request's nonce had expired but its credentials were right (RFC 7616 §3.3):
    /// retry with the new nonce without treating it as a rejection.</summary>
    public bool Stale { get; init; }

    /// <summary>Space-separated URIs of the protection space, informational for a SIP UAC.</summary>
    public string? Domain { get; init; }

    /// <summary>The server wants the username hashed (RFC 7616 §3.4.4).</summary>
    public bool UserHash { get; init; }

    /// <summary>"UTF-8" when the server said so (RFC 7616 §3.3), otherwise null.</summary>
    public string? Charset { get; init; }

    /// <summary>True for Proxy-Authenticate (answered with Proxy-Authorization), false for
    /// WWW-Authenticate (answered with Authorization).</summary>
    public bool IsProxy { get; init; }

    /// <summary>
    /// True when this client can compute a response: a known algorithm, a known qop when a qop is
    /// offered, and a qop for the "-sess" variants (their cnonce is only sent with a qop, RFC 7616 §3.4).
    /// </summary>
    public bool IsSupported =>
        Algorithm != DigestAlgorithm.Unknown
        && (!HasQop || Qop != DigestQop.None)
        && (HasQop || !DigestAlgorithms.IsSession(Algorithm));

    public override string ToString() =>
        $"Digest realm=\"{Realm}\" algorithm={AlgorithmToken ?? "(MD5)"} qop={Qop} stale={Stale}{(IsProxy ? " (proxy)" : "")}";
}
