using Dialtone.Engine.VoiceXml.Errors;

namespace Dialtone.Engine.VoiceXml.Parsing;

/// <summary>
/// Wraps the document body for <see cref="System.Xml.XmlReader"/>. XmlReader's async methods take no
/// CancellationToken, so the reader stores the caller's token here before each read and the
/// underlying network read honours it; the byte limit is enforced as bytes arrive, so an oversized
/// body is refused after <c>limit + 1</c> bytes whatever its Content-Length claimed.
/// </summary>
internal sealed class ReadForwardingStream(Stream inner, long maxBytes) : Stream
{
    private long _total;

    /// <summary>The token the next read observes (set by the document reader before each XmlReader call).</summary>
    public CancellationToken ReadToken { get; set; }

    public long BytesRead => _total;

    public override bool CanRead => true;
    // A document in memory reports its length: XmlReader sizes its buffers to it (about 3 KB for a
    // short document instead of 15 KB). XmlReader only asks; it never seeks.
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.CanSeek ? inner.Length : throw new NotSupportedException();
    public override long Position { get => _total; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ReadToken.ThrowIfCancellationRequested();
        return Count(inner.Read(buffer));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var token = cancellationToken.CanBeCanceled ? cancellationToken : ReadToken;
        return Count(await inner.ReadAsync(buffer, token).ConfigureAwait(false));
    }

    private int Count(int read)
    {
        _total += read;
        if (_total > maxBytes)
            throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"the document is larger than {maxBytes} bytes");
        return read;
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
