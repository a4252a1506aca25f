namespace Dialtone.Engine.Sip.Auth;

/// <summary>The quality-of-protection options a challenge offers (RFC 7616 §3.3).</summary>
[Flags]
public enum DigestQop
{
    /// <summary>No qop parameter: the RFC 2069 compatible computation, without cnonce or nc.</summary>
    None = 0,
    Auth = 1,
    /// <summary>Authentication with integrity protection of the message body.</summary>
    AuthInt = 2,
}
