using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// SIP over TCP (RFC 3261 §18): a listener for peers' connections, outgoing connections opened on
/// demand, and one table of both so a connection is reused in either direction (RFC 5923 §3's
/// idea, without the alias parameter): requests to a peer that connected to us go back on its
/// connection. Idle connections are closed by one sweep timer.
/// </summary>
public sealed class TcpSipTransport : IDisposable
{
    private readonly Socket? _listener;
    private readonly ISipTransportReceiver _receiver;
    private readonly SipTransportOptions _options;
    private readonly ConcurrentDictionary<SocketAddress, SipTcpConnection> _connections = new();
    private readonly ConcurrentDictionary<SocketAddress, Task<SipTcpConnection?>> _connecting = new();
    private readonly ITimer _idleSweep;
    private readonly CancellationTokenSource _stopping = new();
    private int _connectionCount;

    /// <summary>Binds the listener; call <see cref="Start"/> to accept connections.</summary>
    public TcpSipTransport(SipTransportOptions options, ISipTransportReceiver receiver, SipTransportCounters counters, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _receiver = receiver ?? throw new ArgumentNullException(nameof(receiver));
        Counters = counters ?? throw new ArgumentNullException(nameof(counters));
        Time = time ?? throw new ArgumentNullException(nameof(time));

        _listener = new Socket(options.ListenEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(options.ListenEndPoint);
        _listener.Listen(1024);
        LocalEndPoint = (IPEndPoint)_listener.LocalEndPoint!;

        TimeSpan sweep = options.TcpIdleTimeout / 4;
        if (sweep < TimeSpan.FromMilliseconds(100))
            sweep = TimeSpan.FromMilliseconds(100);
        _idleSweep = time.CreateTimer(static state => ((TcpSipTransport)state!).CloseIdle(), this, sweep, sweep);
    }

    internal SipTransportCounters Counters { get; }

    internal TimeProvider Time { get; }

    /// <summary>The listening address.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Connections open now.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Starts accepting connections.</summary>
    public void Start() => _ = AcceptLoopAsync();

    /// <summary>
    /// Sends one message to <paramref name="remote"/> on an open connection, or opens one first.
    /// Returns false only when the message was refused outright; a failure after this returns
    /// (connect refused, timeout) is reported through <see cref="ISipTransportReceiver.OnSendFailed"/>.
    /// </summary>
    public bool Send(ReadOnlySpan<byte> message, SocketAddress remote)
    {
        if (_stopping.IsCancellationRequested)
            return false;
        if (_connections.TryGetValue(remote, out SipTcpConnection? open) && !open.IsClosed)
        {
            if (open.Send(message))
            {
                Interlocked.Increment(ref Counters._sent);
                return true;
            }
        }

        // Slow path (first message to this peer): copy the bytes and send once connected.
        byte[] copy = message.ToArray();
        var key = Copy(remote);
        _ = SendAfterConnectAsync(copy, key);
        return true;
    }

    /// <summary>Sends on a given connection (responses go back where the request came from, RFC 3261 §18.2.2).</summary>
    public bool Send(ReadOnlySpan<byte> message, SipTcpConnection connection)
    {
        if (connection.Send(message))
        {
            Interlocked.Increment(ref Counters._sent);
            return true;
        }
        Interlocked.Increment(ref Counters._sendFailures);
        return false;
    }

    private async Task SendAfterConnectAsync(byte[] message, SocketAddress remote)
    {
        SipTcpConnection? connection = await GetOrConnectAsync(remote).ConfigureAwait(false);
        if (connection is not null && connection.Send(message))
        {
            Interlocked.Increment(ref Counters._sent);
            return;
        }
        Interlocked.Increment(ref Counters._sendFailures);
        try
        {
            _receiver.OnSendFailed(new SipRemote(SipTransportProtocol.Tcp, remote, null));
        }
        catch (Exception)
        {
            // The receiver must not throw.
        }
    }

    private Task<SipTcpConnection?> GetOrConnectAsync(SocketAddress remote)
    {
        if (_connections.TryGetValue(remote, out SipTcpConnection? open) && !open.IsClosed)
            return Task.FromResult<SipTcpConnection?>(open);
        // One connect per peer at a time: concurrent first sends share it.
        return _connecting.GetOrAdd(remote, static (key, self) => self.ConnectAsync(key), this);
    }

    private async Task<SipTcpConnection?> ConnectAsync(SocketAddress remote)
    {
        await Task.Yield();
        Socket? socket = null;
        try
        {
            if (!TryReserveConnection())
                return null;
            socket = new Socket(remote.Family, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.TcpConnectTimeout);
            var endPoint = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(remote);
            await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            var connection = new SipTcpConnection(socket, remote, outgoing: true, this, _options.MaxMessageSize);
            socket = null;
            _connections[remote] = connection;
            Interlocked.Increment(ref Counters._connectionsOpened);
            _ = connection.RunAsync();
            return connection;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (socket is not null)
                Interlocked.Decrement(ref _connectionCount);
            return null;
        }
        finally
        {
            socket?.Dispose();
            _connecting.TryRemove(remote, out _);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener!.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            if (!TryReserveConnection())
            {
                Interlocked.Increment(ref Counters._connectionsRefused);
                accepted.Dispose();
                continue;
            }
            accepted.NoDelay = true;
            var remote = ((IPEndPoint)accepted.RemoteEndPoint!).Serialize();
            var connection = new SipTcpConnection(accepted, remote, outgoing: false, this, _options.MaxMessageSize);
            // A newer connection from the same address replaces the older one for sending.
            _connections[remote] = connection;
            Interlocked.Increment(ref Counters._connectionsAccepted);
            _ = connection.RunAsync();
        }
    }

    private bool TryReserveConnection()
    {
        if (Interlocked.Increment(ref _connectionCount) <= _options.MaxTcpConnections)
            return true;
        Interlocked.Decrement(ref _connectionCount);
        return false;
    }

    internal void Deliver(ReadOnlyMemory<byte> message, SipTcpConnection connection)
    {
        Interlocked.Increment(ref Counters._received);
        try
        {
            _receiver.OnMessageReceived(message, new SipRemote(SipTransportProtocol.Tcp, connection.RemoteAddress, connection));
        }
        catch (Exception)
        {
            // The receiver must not throw; the connection lives on.
        }
    }

    internal void Forget(SipTcpConnection connection)
    {
        // Remove only if the table still maps this address to this very connection.
        _connections.TryRemove(new KeyValuePair<SocketAddress, SipTcpConnection>(connection.RemoteAddress, connection));
        Interlocked.Decrement(ref _connectionCount);
        Interlocked.Increment(ref Counters._connectionsClosed);
    }

    private void CloseIdle()
    {
        long now = Time.GetTimestamp();
        foreach (SipTcpConnection connection in _connections.Values)
        {
            if (Time.GetElapsedTime(connection.LastActivityTimestamp, now) >= _options.TcpIdleTimeout)
                connection.Dispose();
        }
    }

    private static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span.CopyTo(copy.Buffer.Span);
        return copy;
    }

    /// <summary>Stops accepting, closes every connection.</summary>
    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
            return;
        _stopping.Cancel();
        _idleSweep.Dispose();
        _listener?.Dispose();
        foreach (SipTcpConnection connection in _connections.Values)
            connection.Dispose();
    }
}
