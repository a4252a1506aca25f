using System.Threading.Tasks.Sources;
using Dialtone.Engine.VoiceXml.Errors;

namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>
/// One caller's view of a <see cref="SharedDownload"/>: reads return the bytes already received at
/// once, wait (cancellably) when the reader has caught up with the download, return 0 at the end and
/// throw the download's <see cref="VoiceAppException"/> if it failed. Disposing the reader (a call
/// hanging up) leaves the download running for the others.
/// </summary>
/// <remarks>
/// The reader is its own <see cref="IValueTaskSource{TResult}"/>, reused for every wait, so reading
/// allocates nothing whether the bytes are there or not. One read at a time, as with any stream.
/// A parked read is completed by whoever first moves <c>_parked</c> from 1 to 0: the download's
/// writer (bytes, end, error) or the cancellation/dispose path.
/// </remarks>
internal sealed class SharedDownloadReader : Stream, IValueTaskSource<int>
{
    private readonly SharedDownload _download;
    private ManualResetValueTaskSourceCore<int> _pending = new() { RunContinuationsAsynchronously = true };
    private Memory<byte> _destination;
    private CancellationTokenRegistration _cancellation;
    private int _parked;
    private int _position;
    private bool _disposed;

    internal SharedDownloadReader(SharedDownload download) => _download = download;

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _download.DeclaredLength ?? throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    /// <summary>Bytes this reader has consumed (touched by the download only while the reader is parked).</summary>
    internal int Consumed => _position;

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = ReadAsync(buffer.AsMemory(offset, count));
        return read.IsCompletedSuccessfully ? read.Result : read.AsTask().GetAwaiter().GetResult();
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<int>(cancellationToken);
        if (Volatile.Read(ref _parked) != 0)
            throw new InvalidOperationException("a read is already pending on this media stream");
        if (buffer.IsEmpty)
            return new ValueTask<int>(0);
        return _download.Read(this, buffer, cancellationToken);
    }

    /// <summary>Copies what is available below <paramref name="length"/> into <paramref name="destination"/>.</summary>
    internal int CopyFrom(byte[] buffer, int length, Memory<byte> destination)
    {
        var count = Math.Min(length - _position, destination.Length);
        buffer.AsSpan(_position, count).CopyTo(destination.Span);
        _position += count;
        return count;
    }

    /// <summary>
    /// Waits for the writer. Called under the download's lock after the reader was added to its
    /// waiting list, so the writer sees the registration below whenever it sees the reader; a token
    /// cancelled meanwhile runs <see cref="Abandon"/> at once, which the (reentrant) lock allows.
    /// </summary>
    internal ValueTask<int> Park(Memory<byte> destination, CancellationToken cancellationToken)
    {
        _pending.Reset();
        _destination = destination;
        Volatile.Write(ref _parked, 1);
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((SharedDownloadReader)state!).Abandon(new OperationCanceledException(token)), this);
        }
        return new ValueTask<int>(this, _pending.Version);
    }

    /// <summary>The writer published more bytes, the end, or an error.</summary>
    internal void Wake(byte[] buffer, int length, bool complete, VoiceAppException? error)
    {
        if (Interlocked.CompareExchange(ref _parked, 0, 1) != 1)
            return;
        if (error is not null)
            _pending.SetException(error);
        else if (length > _position)
            _pending.SetResult(CopyFrom(buffer, length, _destination));
        else if (complete)
            _pending.SetResult(0);
        else
            _pending.SetException(new InvalidOperationException("woken without new bytes"));
    }

    private void Abandon(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _parked, 0, 1) != 1)
            return;
        _download.Withdraw(this);
        _pending.SetException(reason);
    }

    int IValueTaskSource<int>.GetResult(short token)
    {
        // Unregistering here (the read is over) means a later wait never meets a stale callback:
        // Dispose returns only once a callback already running has finished.
        _cancellation.Dispose();
        _cancellation = default;
        _destination = default;
        return _pending.GetResult(token);
    }

    ValueTaskSourceStatus IValueTaskSource<int>.GetStatus(short token) => _pending.GetStatus(token);

    void IValueTaskSource<int>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _pending.OnCompleted(continuation, state, token, flags);

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // Only this reader stops; the download goes on for the other calls (see MediaCache).
            if (Volatile.Read(ref _parked) == 1)
                Abandon(new ObjectDisposedException(nameof(SharedDownloadReader)));
        }
        base.Dispose(disposing);
    }
}
