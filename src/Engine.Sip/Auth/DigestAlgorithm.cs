namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// The digest algorithms of RFC 7616 §3.2 / RFC 8760 §2.1, weakest first, so that comparing two
/// values compares their strength. A "-sess" variant hashes the nonce and cnonce into A1.
/// </summary>
public enum DigestAlgorithm
{
    /// <summary>An algorithm this client cannot compute; a challenge naming it is skipped.</summary>
    Unknown = 0,
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
    Sha512_256,
    Sha512_256Sess,
}
