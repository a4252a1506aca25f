using Dialtone.Engine.VoiceXml.Errors;

namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>
/// A response body whose every read must make progress within the idle timeout: a server that sends
/// headers and then stalls is cut off with <see cref="VoiceAppErrorCode.Timeout"/> instead of holding
/// the call forever. The timer runs on the injected <see cref="TimeProvider"/>.
/// </summary>
internal sealed class IdleTimeoutStream(Stream inner, TimeSpan idleTimeout, TimeProvider time, Uri url) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var idle = new CancellationTokenSource(idleTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(idle.Token, cancellationToken);
        try
        {
            return await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new VoiceAppException(VoiceAppErrorCode.Timeout,
                $"{Describe.Url(url)} sent nothing for {idleTimeout.TotalSeconds:0.#} s while its body was being read");
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
