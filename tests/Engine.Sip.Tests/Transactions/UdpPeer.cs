using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>A bare UDP socket on 127.0.0.1 playing the far end of a test.</summary>
internal sealed class UdpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _discard = new byte[65536];

    public UdpPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public SocketAddress Address => EndPoint.Serialize();

    public void SendTo(byte[] message, IPEndPoint target) => _socket.SendTo(message, target);

    /// <summary>The next datagram within <paramref name="timeoutMs"/>, or null.</summary>
    public string? Receive(int timeoutMs = 5000)
    {
        if (!_socket.Poll(timeoutMs * 1000, SelectMode.SelectRead))
            return null;
        var buffer = new byte[65536];
        int n = _socket.Receive(buffer);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>Every datagram waiting now.</summary>
    public List<string> Drain()
    {
        var list = new List<string>();
        while (Receive(50) is { } message)
            list.Add(message);
        return list;
    }

    /// <summary>Throws away every datagram waiting now, without allocating (for allocation tests).</summary>
    public void Discard()
    {
        while (_socket.Available > 0)
            _socket.Receive(_discard);
    }

    public void Dispose() => _socket.Dispose();
}
