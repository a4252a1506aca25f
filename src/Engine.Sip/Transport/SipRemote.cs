using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>Where a received message came from and how to answer on the same path.</summary>
/// <remarks>
/// <see cref="Address"/> is the receive loop's reusable buffer: valid only during
/// <see cref="ISipTransportReceiver.OnMessageReceived"/>. Use <see cref="CopyAddress"/> to keep it.
/// </remarks>
public readonly struct SipRemote
{
    public SipRemote(SipTransportProtocol protocol, SocketAddress address, SipTcpConnection? connection)
    {
        Protocol = protocol;
        Address = address;
        Connection = connection;
    }

    /// <summary>The transport the message arrived on.</summary>
    public SipTransportProtocol Protocol { get; }

    /// <summary>The source address of the packet or connection (the "received"/"rport" of RFC 3581).</summary>
    public SocketAddress Address { get; }

    /// <summary>The stream connection it arrived on; responses go back on it (RFC 3261 §18.2.2). Null for UDP.</summary>
    public SipTcpConnection? Connection { get; }

    /// <summary>A copy of <see cref="Address"/> that outlives the receive callback.</summary>
    public SocketAddress CopyAddress()
    {
        var copy = new SocketAddress(Address.Family, Address.Size);
        Address.Buffer.Span.CopyTo(copy.Buffer.Span);
        return copy;
    }

    /// <summary>The source as an <see cref="IPEndPoint"/> (allocates; for logs and slow paths).</summary>
    public IPEndPoint ToEndPoint() => (IPEndPoint)new IPEndPoint(Address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(Address);
}
