namespace Dialtone.Daemon.Auth;

/// <summary>Why a request was not authenticated.</summary>
public enum AuthFailure
{
    None,

    /// <summary>No apikey header and no Authorization header.</summary>
    Missing,

    /// <summary>An Authorization header that is neither Bearer nor well-formed Basic.</summary>
    Malformed,

    /// <summary>A key that belongs to no account (or, with Basic, not to the account named).</summary>
    InvalidKey,
}
