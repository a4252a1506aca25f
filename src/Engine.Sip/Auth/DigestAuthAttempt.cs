namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// The "never an auth loop" policy for one request and its authenticated retries (one INVITE
/// attempt, one REGISTER, ...), RFC 3261 §22.2/§22.3 with RFC 7616 §3.3's stale flag:
/// <list type="bullet">
/// <item>a realm challenged for the first time is answered once;</item>
/// <item>the same realm challenged again is answered again only when the challenge says
/// stale=true with a new nonce (the old nonce expired, the password was right), at most
/// <see cref="MaxStaleRetriesPerRealm"/> times;</item>
/// <item>otherwise the credentials were rejected: give up, and the request fails with the 401/407's code;</item>
/// <item>a realm no credentials cover, or only unsupported algorithms: give up.</item>
/// </list>
/// Realms accumulate: after a proxy's 407 and then the callee's 401, the retry carries both a
/// Proxy-Authorization and an Authorization (RFC 3261 §22.3). Not thread-safe: one per request.
/// </summary>
public sealed class DigestAuthAttempt
{
    /// <summary>Stale retries allowed per realm within one request.</summary>
    public const int MaxStaleRetriesPerRealm = 2;

    /// <summary>Challenges (401/407 responses) accepted within one request, whatever their realms.</summary>
    public const int MaxChallenges = 6;

    private readonly DigestAuthenticator _authenticator;
    private readonly List<RealmState> _realms = [];
    private int _challengeCount;
    private DigestAuthDecision? _gaveUp;

    public DigestAuthAttempt(DigestAuthenticator authenticator)
    {
        ArgumentNullException.ThrowIfNull(authenticator);
        _authenticator = authenticator;
    }

    /// <summary>401/407 responses seen so far.</summary>
    public int ChallengeCount => _challengeCount;

    /// <summary>Realms the next request authenticates to.</summary>
    public int RealmCount => _realms.Count;

    /// <summary>
    /// Decides what to do with a 401/407 carrying <paramref name="challenges"/> (every Digest
    /// challenge of its WWW-Authenticate or Proxy-Authenticate fields, in header order). Once it
    /// has said give up, it keeps saying so.
    /// </summary>
    public DigestAuthDecision OnChallenge(int statusCode, IReadOnlyList<DigestChallenge> challenges)
    {
        ArgumentNullException.ThrowIfNull(challenges);
        if (_gaveUp is { } decided)
            return decided with { StatusCode = statusCode };
        if (statusCode is not (401 or 407))
            return GiveUp(DigestGiveUpReason.NotAChallenge, statusCode);
        if (++_challengeCount > MaxChallenges)
            return GiveUp(DigestGiveUpReason.TooManyChallenges, statusCode);
        if (challenges.Count == 0)
            return GiveUp(DigestGiveUpReason.NoChallenge, statusCode);

        // One answer per (kind, realm): a forking proxy may aggregate several realms, and a server
        // may offer several algorithms per realm (RFC 8760 §2.4).
        var picks = new List<DigestChallenge>(2);
        bool anyRealmCovered = false;
        for (int i = 0; i < challenges.Count; i++)
        {
            var challenge = challenges[i];
            if (!SeenFirstAt(challenges, i))
                continue;
            if (!_authenticator.Credentials.Covers(challenge.Realm))
                continue;
            anyRealmCovered = true;
            var sameRealm = new List<DigestChallenge>();
            foreach (var candidate in challenges)
            {
                if (candidate.IsProxy == challenge.IsProxy && string.Equals(candidate.Realm, challenge.Realm, StringComparison.Ordinal))
                    sameRealm.Add(candidate);
            }
            if (_authenticator.SelectChallenge(sameRealm) is { } best)
                picks.Add(best);
        }

        if (picks.Count == 0)
            return GiveUp(anyRealmCovered ? DigestGiveUpReason.UnsupportedChallenge : DigestGiveUpReason.NoCredentialsForRealm, statusCode);

        // Check every realm before changing any state, so a rejection leaves nothing half-updated.
        foreach (var pick in picks)
        {
            int known = IndexOf(_realms, pick.IsProxy, pick.Realm);
            if (known < 0)
                continue;
            var state = _realms[known];
            bool freshStaleNonce = pick.Stale && !string.Equals(pick.Nonce, state.Challenge.Nonce, StringComparison.Ordinal);
            if (!freshStaleNonce || state.StaleRetries >= MaxStaleRetriesPerRealm)
                return GiveUp(DigestGiveUpReason.CredentialsRejected, statusCode);
        }

        foreach (var pick in picks)
        {
            int known = IndexOf(_realms, pick.IsProxy, pick.Realm);
            if (known < 0)
                _realms.Add(new RealmState(pick, 0));
            else
                _realms[known] = new RealmState(pick, _realms[known].StaleRetries + 1);
        }
        return DigestAuthDecision.Retry(statusCode);
    }

    /// <summary>
    /// The credentials headers for the next request of this attempt (new CSeq, same Request-URI),
    /// one per realm answered so far. Empty before any challenge.
    /// </summary>
    public IReadOnlyList<DigestAuthorization> Authorize(string method, string requestUri, ReadOnlySpan<byte> body = default)
    {
        var headers = new DigestAuthorization[_realms.Count];
        for (int i = 0; i < _realms.Count; i++)
            headers[i] = _authenticator.Authorize(_realms[i].Challenge, method, requestUri, body);
        return headers;
    }

    private DigestAuthDecision GiveUp(DigestGiveUpReason reason, int statusCode)
    {
        var decision = DigestAuthDecision.GiveUp(reason, statusCode);
        _gaveUp = decision;
        return decision;
    }

    private static bool SeenFirstAt(IReadOnlyList<DigestChallenge> challenges, int index)
    {
        for (int i = 0; i < index; i++)
        {
            if (challenges[i].IsProxy == challenges[index].IsProxy && string.Equals(challenges[i].Realm, challenges[index].Realm, StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    private static int IndexOf(List<RealmState> realms, bool isProxy, string realm)
    {
        for (int i = 0; i < realms.Count; i++)
        {
            if (realms[i].Challenge.IsProxy == isProxy && string.Equals(realms[i].Challenge.Realm, realm, StringComparison.Ordinal))
                return i;
        }
        return -1;
    }

    private readonly record struct RealmState(DigestChallenge Challenge, int StaleRetries);
}
