namespace Dialtone.Engine.Sip.Transport;

/// <summary>The transport a SIP message travels on (RFC 3261 §18).</summary>
public enum SipTransportProtocol : byte
{
    /// <summary>UDP: one datagram is one message; unreliable, so transactions retransmit.</summary>
    Udp,

    /// <summary>TCP: a byte stream framed by Content-Length; reliable.</summary>
    Tcp,
}
