using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// The transports of one SIP endpoint behind a single send call: UDP always, TCP on the same port
/// when enabled (RFC 3261 §18: an element that listens on UDP should listen on TCP too, so that
/// large messages can move to TCP, §18.1.1). Received messages go to the receiver given to
/// <see cref="Start"/>.
/// </summary>
public sealed class SipTransportLayer : ISipTransportReceiver, IDisposable
{
    private const int BindAttempts = 8;

    private readonly UdpSipTransport _udp;
    private readonly TcpSipTransport? _tcp;
    private ISipTransportReceiver? _receiver;
    private int _disposed;

    /// <summary>
    /// Binds UDP and (when <see cref="SipTransportOptions.EnableTcp"/>) TCP on the same address
    /// and port. With port 0 an ephemeral port free for both is chosen.
    /// </summary>
    public SipTransportLayer(SipTransportOptions options, TimeProvider time, SipTransportCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();
        Counters = counters ?? new SipTransportCounters();

        for (int attempt = 1; ; attempt++)
        {
            var udp = new UdpSipTransport(options, this, Counters);
            if (!options.EnableTcp)
            {
                _udp = udp;
                break;
            }
            var tcpOptions = new SipTransportOptions
            {
                ListenEndPoint = udp.LocalEndPoint,
                UdpReceiveThreads = options.UdpReceiveThreads,
                UdpReceiveBufferBytes = options.UdpReceiveBufferBytes,
                MaxMessageSize = options.MaxMessageSize,
                TcpIdleTimeout = options.TcpIdleTimeout,
                TcpConnectTimeout = options.TcpConnectTimeout,
                MaxTcpConnections = options.MaxTcpConnections,
                EnableTcp = true,
            };
            try
            {
                _tcp = new TcpSipTransport(tcpOptions, this, Counters, time);
                _udp = udp;
                break;
            }
            catch (SocketException) when (options.ListenEndPoint.Port == 0 && attempt < BindAttempts)
            {
                // The ephemeral UDP port is taken on TCP: try another one.
                udp.Dispose();
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }
    }

    /// <summary>What the transports have seen.</summary>
    public SipTransportCounters Counters { get; }

    /// <summary>The bound UDP address (TCP listens on the same one when enabled).</summary>
    public IPEndPoint LocalEndPoint => _udp.LocalEndPoint;

    /// <summary>True when TCP is available for sending and listening.</summary>
    public bool SupportsTcp => _tcp is not null;

    /// <summary>TCP connections open now (0 without TCP).</summary>
    public int TcpConnectionCount => _tcp?.ConnectionCount ?? 0;

    /// <summary>An observer of every message sent and received (a SIP trace), or null.</summary>
    public ISipMessageTap? Tap { get; set; }

    /// <summary>Starts receiving; every message and send failure goes to <paramref name="receiver"/>.</summary>
    public void Start(ISipTransportReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (Interlocked.CompareExchange(ref _receiver, receiver, null) is not null)
            throw new InvalidOperationException("The transport layer is already started.");
        _udp.Start();
        _tcp?.Start();
    }

    /// <summary>
    /// Sends one message. False when it was refused at once (no TCP, closed socket, kernel error);
    /// a TCP connect that fails later is reported through <see cref="ISipTransportReceiver.OnSendFailed"/>.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> message, in SipDestination destination)
    {
        bool accepted = SendCore(message, destination);
        Tap?.OnSent(message, destination, accepted);
        return accepted;
    }

    private bool SendCore(ReadOnlySpan<byte> message, in SipDestination destination)
    {
        if (destination.Protocol == SipTransportProtocol.Udp)
            return _udp.Send(message, destination.Address);
        if (_tcp is null)
            return false;
        if (destination.Connection is { IsClosed: false } connection && _tcp.Send(message, connection))
            return true;
        return _tcp.Send(message, destination.Address);
    }

    void ISipTransportReceiver.OnMessageReceived(ReadOnlyMemory<byte> message, in SipRemote remote)
    {
        Tap?.OnReceived(message.Span, remote);
        Volatile.Read(ref _receiver)?.OnMessageReceived(message, remote);
    }

    void ISipTransportReceiver.OnSendFailed(in SipRemote remote) =>
        Volatile.Read(ref _receiver)?.OnSendFailed(remote);

    /// <summary>Closes the sockets.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _tcp?.Dispose();
        _udp.Dispose();
    }
}
