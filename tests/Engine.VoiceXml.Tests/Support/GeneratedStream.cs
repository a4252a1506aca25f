using System.Text;

namespace Dialtone.Engine.VoiceXml.Tests.Support;

/// <summary>
/// A read-only stream of <paramref name="prefix"/>, then <paramref name="filler"/> repeated up to
/// <paramref name="totalBytes"/>, then <paramref name="suffix"/>: a huge body without the memory.
/// </summary>
public sealed class GeneratedStream(string prefix, byte filler, long totalBytes, string suffix) : Stream
{
    private readonly byte[] _prefix = Encoding.UTF8.GetBytes(prefix);
    private readonly byte[] _suffix = Encoding.UTF8.GetBytes(suffix);
    private long _position;

    public long Produced => _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => totalBytes;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < totalBytes)
        {
            var suffixStart = totalBytes - _suffix.Length;
            buffer[written++] = _position < _prefix.Length ? _prefix[_position]
                : _position >= suffixStart ? _suffix[_position - suffixStart]
                : filler;
            _position++;
        }
        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer, offset, count));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
