using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Tests.Peers;

/// <summary>Free ports on 127.0.0.1 for peers that need a fixed port in their configuration.</summary>
internal static class LocalPorts
{
    // Peers get ports from a band below the kernel's ephemeral range (32768-60999 on Linux) and above
    // the RTP range (10000-20000): a port picked from the ephemeral range and released can be handed
    // to any other socket of the machine before the peer binds it, which made parallel test runs
    // collide now and then.
    private const int FirstPeerPort = 21000;
    private const int LastPeerPort = 29999;

    /// <summary>A port free for both UDP and TCP right now (SIP listens on both).</summary>
    public static int FreeUdpAndTcp()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(FirstPeerPort, LastPeerPort + 1);
            if (IsFree(port, SocketType.Dgram, ProtocolType.Udp) && IsFree(port, SocketType.Stream, ProtocolType.Tcp))
                return port;
        }
        throw new InvalidOperationException("No free UDP+TCP port on 127.0.0.1.");
    }

    /// <summary>A free TCP port.</summary>
    public static int FreeTcp()
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            int port = Random.Shared.Next(FirstPeerPort, LastPeerPort + 1);
            if (IsFree(port, SocketType.Stream, ProtocolType.Tcp))
                return port;
        }
        throw new InvalidOperationException("No free TCP port on 127.0.0.1.");
    }

    private static bool IsFree(int port, SocketType type, ProtocolType protocol)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
