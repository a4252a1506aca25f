using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// SIP over UDP (RFC 3261 §18): one datagram is one message. Receive threads block in
/// <c>recvfrom</c> on one socket, each with its own buffer and source address, and hand datagrams to
/// the receiver in place: nothing is allocated per datagram received or sent.
/// </summary>
/// <remarks>
/// Dedicated threads rather than async receives: a blocking receive costs one system call per
/// datagram and no state machine, and the kernel wakes one waiting thread per datagram.
/// </remarks>
public sealed class UdpSipTransport : IDisposable
{
    private readonly Socket _socket;
    private readonly ISipTransportReceiver _receiver;
    private readonly SipTransportCounters _counters;
    private readonly Thread[] _threads;
    private readonly int _maxMessageSize;
    private volatile bool _disposed;

    /// <summary>Binds the socket; call <see cref="Start"/> to begin receiving.</summary>
    public UdpSipTransport(SipTransportOptions options, ISipTransportReceiver receiver, SipTransportCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _receiver = receiver ?? throw new ArgumentNullException(nameof(receiver));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _maxMessageSize = options.MaxMessageSize;

        _socket = new Socket(options.ListenEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.ReceiveBufferSize = options.UdpReceiveBufferBytes;
            _socket.SendBufferSize = options.UdpReceiveBufferBytes;
        }
        catch (SocketException)
        {
            // The kernel caps the size (net.core.rmem_max); the default still works.
        }
        _socket.Bind(options.ListenEndPoint);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;

        _threads = new Thread[options.UdpReceiveThreads];
        for (int i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(ReceiveLoop)
            {
                IsBackground = true,
                Name = $"sip-udp-rx-{i}",
            };
        }
    }

    /// <summary>The bound address (the port is the real one when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Starts the receive threads.</summary>
    public void Start()
    {
        foreach (Thread thread in _threads)
            thread.Start();
    }

    /// <summary>Sends one datagram. Returns false when the kernel refused it (counted, never thrown).</summary>
    public bool Send(ReadOnlySpan<byte> message, SocketAddress remote)
    {
        if (_disposed)
            return false;
        try
        {
            _socket.SendTo(message, SocketFlags.None, remote);
            Interlocked.Increment(ref _counters._sent);
            return true;
        }
        catch (SocketException)
        {
            // ICMP unreachable from an earlier send, a full buffer, no route: UDP gives no promise;
            // the transaction layer's timers turn silence into a timeout.
            Interlocked.Increment(ref _counters._sendFailures);
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private void ReceiveLoop()
    {
        // Room for one byte more than allowed, so an oversized datagram is seen as such.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(_maxMessageSize + 1, pinned: true);
        var source = new SocketAddress(LocalEndPoint.AddressFamily);
        var memory = new Memory<byte>(buffer);

        while (!_disposed)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, SocketFlags.None, source);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // Linux reports an earlier send's ICMP error on the next receive; not our datagram.
                continue;
            }
            catch (Exception) when (_disposed)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (length == 0 || length > _maxMessageSize)
                continue;
            if (IsKeepAlive(buffer.AsSpan(0, length)))
            {
                Interlocked.Increment(ref _counters._keepAlives);
                continue;
            }

            Interlocked.Increment(ref _counters._received);
            try
            {
                _receiver.OnMessageReceived(memory.Slice(0, length), new SipRemote(SipTransportProtocol.Udp, source, null));
            }
            catch (Exception)
            {
                // The receiver must not throw; if it does, the datagram is lost but the loop lives on.
            }
        }
    }

    /// <summary>
    /// A datagram of only CR/LF is a keep-alive (RFC 5626 §3.5.1, and many phones send a bare CRLF);
    /// a STUN message starts with 0b00 in its first two bits (RFC 5389 §6). Neither is SIP.
    /// </summary>
    private static bool IsKeepAlive(ReadOnlySpan<byte> datagram) =>
        datagram.IndexOfAnyExcept((byte)'\r', (byte)'\n') < 0 || (datagram[0] & 0xC0) == 0;

    /// <summary>Closes the socket; the receive threads end.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _socket.Dispose();
        foreach (Thread thread in _threads)
        {
            if (thread.IsAlive && thread != Thread.CurrentThread)
                thread.Join(TimeSpan.FromSeconds(2));
        }
    }
}
