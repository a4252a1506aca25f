using System.Net;

namespace Dialtone.Engine.Sip.Dns;

/// <summary>
/// One place to send a request: a transport and an IP endpoint, with the host name it was
/// resolved from (the name a TLS certificate is checked against, RFC 5922 §4).
/// </summary>
public sealed record SipTarget(SipTargetTransport Transport, IPEndPoint EndPoint, string Host)
{
    public override string ToString() => $"{Transport.ToString().ToUpperInvariant()} {EndPoint} ({Host})";
}
