using System.Net;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// Where one outgoing message goes: the transport, the peer's address and, for a stream, the
/// connection to write on when one is known (a response goes back on the connection its request
/// came in on, RFC 3261 §18.2.2). The address is not copied: the caller keeps it alive.
/// </summary>
public readonly struct SipDestination
{
    public SipDestination(SipTransportProtocol protocol, SocketAddress address, SipTcpConnection? connection = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        Protocol = protocol;
        Address = address;
        Connection = connection;
    }

    /// <summary>The transport to send on.</summary>
    public SipTransportProtocol Protocol { get; }

    /// <summary>The peer's address; for TCP, where to connect when <see cref="Connection"/> is absent or closed.</summary>
    public SocketAddress Address { get; }

    /// <summary>An open stream connection to prefer, or null.</summary>
    public SipTcpConnection? Connection { get; }

    /// <summary>True when the transport delivers reliably (no retransmission timers, RFC 3261 §17.1.1.2).</summary>
    public bool IsReliable => SipTransportProtocols.IsReliable(Protocol);

    /// <summary>False for <c>default</c>.</summary>
    public bool IsValid => Address is not null;
}
