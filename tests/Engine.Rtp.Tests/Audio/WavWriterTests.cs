using System.Buffers.Binary;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class WavWriterTests
{
    [Fact]
    public void Writes_a_standard_16_bit_header_patched_with_sizes_on_close()
    {
        var stream = new MemoryStream();
        short[] samples = Signal.Sine(1000, 8000, 801, 9000);

        using (var writer = new WavWriter(stream, leaveOpen: true))
        {
            writer.Write(samples);
            Assert.Equal(TimeSpan.FromMilliseconds(100.125), writer.Duration);
        }

        byte[] file = stream.ToArray();
        Assert.Equal(44 + 1602, file.Length);
        Assert.Equal("RIFF", Text(file, 0));
        Assert.Equal(36u + 1602, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
        Assert.Equal("WAVEfmt ", Text(file, 8, 8));
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(16)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(22)));
        Assert.Equal(8000u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(24)));
        Assert.Equal(16000u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(28)));
        Assert.Equal(2, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(32)));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(34)));
        Assert.Equal("data", Text(file, 36));
        Assert.Equal(1602u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(40)));
        Assert.Equal(samples, AudioClip.FromWav(file).Samples.ToArray());
    }

    [Theory]
    [InlineData(WavEncoding.MuLaw, 7)]
    [InlineData(WavEncoding.ALaw, 6)]
    public void Writes_g711_with_a_fact_chunk_and_a_pad_byte(WavEncoding encoding, int tag)
    {
        var stream = new MemoryStream();
        short[] samples = Signal.Sine(1000, 8000, 801, 9000);

        using (var writer = new WavWriter(stream, encoding: encoding, leaveOpen: true))
        {
            writer.Write(samples);
        }

        byte[] file = stream.ToArray();
        Assert.Equal(58 + 801 + 1, file.Length);
        Assert.Equal(tag, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(20)));
        Assert.Equal(8, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(34)));
        Assert.Equal("fact", Text(file, 38));
        Assert.Equal(801u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(46)));
        Assert.Equal(801u, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(54)));
        Assert.Equal(50u + 802, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(4)));
        short[] decoded = AudioClip.FromWav(file).Samples.ToArray();
        short[] expected = samples.Select(s => encoding == WavEncoding.MuLaw ? MuLaw.Decode(MuLaw.Encode(s)) : ALaw.Decode(ALaw.Encode(s))).ToArray();
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void Leaves_sizes_unknown_until_updated_so_a_crash_still_leaves_a_readable_file()
    {
        var stream = new MemoryStream();
        var writer = new WavWriter(stream, channels: 2, leaveOpen: true);
        writer.Write(new short[320]);

        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32LittleEndian(stream.ToArray().AsSpan(40)));
        Assert.Equal(160, AudioClip.FromWav(stream.ToArray()).SampleCount); // "crash" here: still readable

        writer.UpdateHeader();
        writer.Write(new short[320]);
        byte[] afterUpdate = stream.ToArray();
        Assert.Equal(640u, BinaryPrimitives.ReadUInt32LittleEndian(afterUpdate.AsSpan(40)));
        Assert.Equal(160, AudioClip.FromWav(afterUpdate).SampleCount); // everything up to the last update
        Assert.Equal(stream.Length, stream.Position);
    }

    [Fact]
    public void Works_on_a_stream_that_cannot_seek()
    {
        var inner = new MemoryStream();
        using (var writer = new WavWriter(new ForwardOnlyStream(inner)))
        {
            writer.Write(new short[] { 1, 2, 3 });
            writer.UpdateHeader();
        }

        Assert.Equal(new short[] { 1, 2, 3 }, AudioClip.FromWav(inner.ToArray()).Samples.ToArray());
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavWriter(new MemoryStream(), channels: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavWriter(new MemoryStream(), sampleRate: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WavWriter(new MemoryStream(), encoding: (WavEncoding)9));
        Assert.Throws<ArgumentException>(() => new WavWriter(new MemoryStream([], writable: false)));
        var writer = new WavWriter(new MemoryStream(), channels: 2);
        Assert.Throws<ArgumentException>(() => writer.Write(new short[3]));
        writer.Dispose();
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.Write(new short[2]));
    }

    private static string Text(byte[] bytes, int offset, int length = 4) =>
        System.Text.Encoding.ASCII.GetString(bytes, offset, length);

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
