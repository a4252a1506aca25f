namespace Dialtone.Engine.Sip.Dns;

/// <summary>The transport a resolved SIP target is reached over (RFC 3263 §4.1).</summary>
public enum SipTargetTransport
{
    /// <summary>UDP; NAPTR service "SIP+D2U", SRV "_sip._udp".</summary>
    Udp,

    /// <summary>TCP; NAPTR service "SIP+D2T", SRV "_sip._tcp".</summary>
    Tcp,

    /// <summary>TLS over TCP; NAPTR service "SIPS+D2T", SRV "_sips._tcp".</summary>
    Tls,
}
