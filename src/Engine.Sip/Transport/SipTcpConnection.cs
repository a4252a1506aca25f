using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Dialtone.Engine.Sip.Message;

namespace Dialtone.Engine.Sip.Transport;

/// <summary>
/// One SIP stream connection (RFC 3261 §18.3): reads through a <see cref="PipeReader"/>, cuts
/// messages with <see cref="SipStreamFramer"/>, answers CRLF pings (RFC 5626 §3.5.1), and writes
/// whole messages under a lock so that concurrent senders never interleave bytes.
/// </summary>
public sealed class SipTcpConnection : IDisposable
{
    private static ReadOnlySpan<byte> Pong => "\r\n"u8;

    private readonly Socket _socket;
    private readonly TcpSipTransport _owner;
    private readonly SipStreamFramer _framer;
    private readonly Lock _sendLock = new();
    private readonly int _maxMessageSize;
    private long _lastActivityTimestamp;
    private int _closed;

    internal SipTcpConnection(Socket socket, SocketAddress remote, bool outgoing, TcpSipTransport owner, int maxMessageSize)
    {
        _socket = socket;
        _owner = owner;
        _maxMessageSize = maxMessageSize;
        _framer = new SipStreamFramer(maxMessageSize);
        RemoteAddress = remote;
        IsOutgoing = outgoing;
        Touch();
    }

    /// <summary>The peer's address (a private copy).</summary>
    public SocketAddress RemoteAddress { get; }

    /// <summary>True when we opened the connection.</summary>
    public bool IsOutgoing { get; }

    /// <summary>True once closed by either side.</summary>
    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    internal long LastActivityTimestamp => Interlocked.Read(ref _lastActivityTimestamp);

    private void Touch() => Interlocked.Exchange(ref _lastActivityTimestamp, _owner.Time.GetTimestamp());

    /// <summary>Writes one whole message. Returns false when the connection is closed or the write failed.</summary>
    public bool Send(ReadOnlySpan<byte> message)
    {
        if (IsClosed)
            return false;
        try
        {
            lock (_sendLock)
            {
                while (!message.IsEmpty)
                {
                    int sent = _socket.Send(message, SocketFlags.None);
                    message = message.Slice(sent);
                }
            }
            Touch();
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Dispose();
            return false;
        }
    }

    internal async Task RunAsync()
    {
        var stream = new NetworkStream(_socket, ownsSocket: false);
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, leaveOpen: true));
        byte[]? joined = null;
        try
        {
            while (!IsClosed)
            {
                ReadResult read = await reader.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = read.Buffer;
                if (!buffer.IsEmpty)
                    Touch();

                bool failed = false;
                while (!buffer.IsEmpty)
                {
                    SipFrame frame = _framer.Read(buffer);
                    if (frame.Status == SipFrameStatus.NeedMoreData)
                        break;
                    if (frame.Status == SipFrameStatus.Error)
                    {
                        // RFC 3261 §18.3: without a usable Content-Length the stream cannot be
                        // resynchronised, so the connection is closed.
                        Interlocked.Increment(ref _owner.Counters._framingErrors);
                        failed = true;
                        break;
                    }
                    if (frame.Status == SipFrameStatus.Ping)
                    {
                        Interlocked.Increment(ref _owner.Counters._keepAlives);
                        Send(Pong);
                    }
                    else if (frame.Status == SipFrameStatus.Pong)
                    {
                        Interlocked.Increment(ref _owner.Counters._keepAlives);
                    }
                    else
                    {
                        ReadOnlySequence<byte> slice = buffer.Slice(0, frame.Length);
                        ReadOnlyMemory<byte> message;
                        if (slice.IsSingleSegment)
                        {
                            message = slice.First;
                        }
                        else
                        {
                            joined ??= ArrayPool<byte>.Shared.Rent(_maxMessageSize);
                            slice.CopyTo(joined);
                            message = joined.AsMemory(0, frame.Length);
                        }
                        _owner.Deliver(message, this);
                    }
                    buffer = buffer.Slice(frame.Length);
                }

                if (failed)
                    break;
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The peer reset the connection or we closed it: same outcome.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            await stream.DisposeAsync().ConfigureAwait(false);
            if (joined is not null)
                ArrayPool<byte>.Shared.Return(joined);
            _framer.Dispose();
            Dispose();
        }
    }

    /// <summary>Closes the connection; pending reads end and the transport forgets it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
        _socket.Dispose();
        _owner.Forget(this);
    }
}
