namespace Dialtone.Engine.Sip.Auth;

/// <summary>
/// One computed credentials header for a request: <see cref="HeaderName"/> tells where it goes
/// (Authorization for a 401's challenge, Proxy-Authorization for a 407's, RFC 3261 §22.2, §22.3).
/// </summary>
public readonly record struct DigestAuthorization(bool IsProxy, string Realm, string Value)
{
    public string HeaderName => IsProxy ? "Proxy-Authorization" : "Authorization";

    public override string ToString() => $"{HeaderName}: {Value}";
}
