using System.Net;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>Settings of the SIP transports.</summary>
public sealed class SipTransportOptions
{
    /// <summary>Address and port to listen on for UDP and TCP (DESIGN.md: 5060 by default).</summary>
    public IPEndPoint ListenEndPoint { get; set; } = new(IPAddress.Loopback, 5060);

    /// <summary>Threads blocked in receive on the UDP socket. One is plenty below ~100k messages/s.</summary>
    public int UdpReceiveThreads { get; set; } = 1;

    /// <summary>Kernel receive buffer for the UDP socket: bursts of thousands of calls per second need room.</summary>
    public int UdpReceiveBufferBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest message accepted on any transport (headers and body).</summary>
    public int MaxMessageSize { get; set; } = 64 * 1024;

    /// <summary>A TCP connection with no traffic for this long is closed.</summary>
    public TimeSpan TcpIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an outgoing TCP connect may take before the send fails.</summary>
    public TimeSpan TcpConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most TCP connections open at once (incoming and outgoing); more are refused.</summary>
    public int MaxTcpConnections { get; set; } = 4096;

    /// <summary>Whether to listen for TCP at all.</summary>
    public bool EnableTcp { get; set; } = true;

    /// <summary>Checks the values and throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (UdpReceiveThreads is < 1 or > 64)
            throw new ArgumentException("UdpReceiveThreads must be 1-64.", nameof(UdpReceiveThreads));
        if (MaxMessageSize is < 1024 or > 1024 * 1024)
            throw new ArgumentException("MaxMessageSize must be 1 KiB-1 MiB.", nameof(MaxMessageSize));
        if (TcpIdleTimeout <= TimeSpan.Zero)
            throw new ArgumentException("TcpIdleTimeout must be positive.", nameof(TcpIdleTimeout));
        if (TcpConnectTimeout <= TimeSpan.Zero)
            throw new ArgumentException("TcpConnectTimeout must be positive.", nameof(TcpConnectTimeout));
        if (MaxTcpConnections < 1)
            throw new ArgumentException("MaxTcpConnections must be at least 1.", nameof(MaxTcpConnections));
    }
}
