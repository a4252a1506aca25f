using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Rtp.Transport;

/// <summary>
/// Two bound UDP sockets: RTP on an even port and RTCP on the next odd one (RFC 3550 §11). Disposing
/// the pair closes both sockets and hands the ports back to the allocator that made it.
/// </summary>
public sealed class RtpPortPair : IDisposable
{
    private readonly RtpPortAllocator _owner;
    private int _disposed;

    internal RtpPortPair(RtpPortAllocator owner, IPAddress address, int rtpPort, Socket rtpSocket, Socket rtcpSocket)
    {
        _owner = owner;
        Address = address;
        RtpPort = rtpPort;
        RtpSocket = rtpSocket;
        RtcpSocket = rtcpSocket;
    }

    /// <summary>The local address both sockets are bound to.</summary>
    public IPAddress Address { get; }

    /// <summary>The even RTP port.</summary>
    public int RtpPort { get; }

    /// <summary>The RTCP port, RTP + 1.</summary>
    public int RtcpPort => RtpPort + 1;

    /// <summary>The bound RTP socket.</summary>
    public Socket RtpSocket { get; }

    /// <summary>The bound RTCP socket.</summary>
    public Socket RtcpSocket { get; }

    /// <summary>The local RTP endpoint, for the SDP offer or answer.</summary>
    public IPEndPoint RtpEndPoint => new(Address, RtpPort);

    /// <summary>Closes both sockets and returns the ports to the allocator; safe to call twice.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        RtpSocket.Dispose();
        RtcpSocket.Dispose();
        _owner.Return(RtpPort);
    }
}
