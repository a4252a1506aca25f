using Dialtone.Engine.VoiceXml.Errors;

namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>
/// The body of a media download, readable while it is still arriving (so playback starts at once),
/// that keeps a copy up to the per-item bound and hands the whole file to the cache when the last
/// byte has been read. Reading past the bound fails with too-large.
/// </summary>
internal sealed class CachingDownloadStream(Stream body, HttpResponseMessage response, int maxBytes, Uri url, Action<byte[]> completed) : Stream
{
    private byte[] _copy = new byte[Math.Min(maxBytes, (int)Math.Clamp(response.Content.Headers.ContentLength ?? 64 * 1024, 1024, maxBytes))];
    private int _length;
    private bool _done;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            if (!_done)
            {
                _done = true;
                completed(_copy.AsSpan(0, _length).ToArray());
            }
            return 0;
        }
        if ((long)_length + read > maxBytes)
            throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"{url.GetLeftPart(UriPartial.Path)} is larger than {maxBytes} bytes");
        if (_length + read > _copy.Length)
            Array.Resize(ref _copy, (int)Math.Min(maxBytes, Math.Max((long)_copy.Length * 2, _length + read)));
        buffer.Span[..read].CopyTo(_copy.AsSpan(_length));
        _length += read;
        return read;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            body.Dispose();
            response.Dispose();
        }
        base.Dispose(disposing);
    }
}
