using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Tests.Peers;

/// <summary>Free ports on 127.0.0.1 for peers that need a fixed port in their configuration.</summary>
internal static class LocalPorts
{
    /// <summary>A port free for both UDP and TCP right now (SIP listens on both).</summary>
    public static int FreeUdpAndTcp()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)udp.LocalEndPoint!).Port;
            try
            {
                using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // Taken on TCP: another one.
            }
        }
        throw new InvalidOperationException("No free UDP+TCP port on 127.0.0.1.");
    }

    /// <summary>A free TCP port.</summary>
    public static int FreeTcp()
    {
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        tcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)tcp.LocalEndPoint!).Port;
    }
}
