namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// A trunk's digest credentials. With <see cref="Realm"/> set they answer only that realm's
/// challenges, so a password is never offered to a realm it was not meant for (RFC 3261 §22.1:
/// the realm tells the UAC which credentials to use).
/// </summary>
public sealed record DigestCredentials
{
    public DigestCredentials(string username, string password, string? realm = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        Username = username;
        Password = password;
        Realm = realm;
    }

    public string Username { get; }

    public string Password { get; }

    /// <summary>The only realm these credentials answer, or null for any realm.</summary>
    public string? Realm { get; }

    /// <summary>True when these credentials may answer a challenge for <paramref name="realm"/>
    /// (realms compare exactly: RFC 3261 §22.1 makes realm a case-sensitive quoted string).</summary>
    public bool Covers(string realm) => Realm is null || string.Equals(Realm, realm, StringComparison.Ordinal);

    // Keeps the password out of logs.
    public override string ToString() => Realm is null ? $"{Username} (any realm)" : $"{Username}@{Realm}";
}
