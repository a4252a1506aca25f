namespace Dialtone.Engine.Sip.Auth;

/// <summary>Why a request is not retried with credentials after a 401 or 407.</summary>
public enum DigestGiveUpReason
{
    /// <summary>Not given up: retry.</summary>
    None = 0,

    /// <summary>The response is not a 401 or 407.</summary>
    NotAChallenge,

    /// <summary>The 401/407 carries no Digest challenge that could be read.</summary>
    NoChallenge,

    /// <summary>No credentials cover the challenged realm(s).</summary>
    NoCredentialsForRealm,

    /// <summary>The realm is covered but no challenge uses an algorithm/qop this client computes.</summary>
    UnsupportedChallenge,

    /// <summary>The same realm challenged again without stale=true and a new nonce: the credentials are wrong.</summary>
    CredentialsRejected,

    /// <summary>The per-request bound on challenges was reached (a server that keeps saying stale).</summary>
    TooManyChallenges,
}
