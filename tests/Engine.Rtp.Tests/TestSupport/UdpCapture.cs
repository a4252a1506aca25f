using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Rtp.Packets;

namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>A plain UDP socket on 127.0.0.1 that plays the far end: it receives what a stream sends and can send to it.</summary>
internal sealed class UdpCapture : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

    public UdpCapture(int port = 0)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
        _socket.ReceiveTimeout = 5000;
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public byte[]? ReceiveDatagram(TimeSpan timeout)
    {
        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        var buffer = new byte[2048];
        try
        {
            int length = _socket.Receive(buffer);
            return buffer[..length];
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
        {
            return null;
        }
    }

    public CapturedRtp ReceiveRtp(TimeSpan? timeout = null)
    {
        byte[] datagram = ReceiveDatagram(timeout ?? TimeSpan.FromSeconds(5)) ?? throw new TimeoutException("No RTP packet arrived.");
        Assert.Equal(RtpReadResult.Success, RtpPacket.TryRead(datagram, out RtpPacket packet));
        return new CapturedRtp(packet.Marker, packet.PayloadType, packet.SequenceNumber, packet.Timestamp, packet.Ssrc, packet.Payload.ToArray());
    }

    /// <summary>Everything that arrives within <paramref name="quiet"/> of the previous datagram.</summary>
    public List<byte[]> Drain(TimeSpan quiet)
    {
        var datagrams = new List<byte[]>();
        while (ReceiveDatagram(quiet) is { } datagram)
        {
            datagrams.Add(datagram);
        }

        return datagrams;
    }

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to) => _socket.SendTo(datagram, SocketFlags.None, to);

    public void Dispose() => _socket.Dispose();
}
