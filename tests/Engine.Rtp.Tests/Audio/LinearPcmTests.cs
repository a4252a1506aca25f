using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class LinearPcmTests
{
    [Fact]
    public void Reads_and_writes_16_bit_little_endian()
    {
        byte[] bytes = [0x34, 0x12, 0xFF, 0xFF, 0x00, 0x80, 0xFF, 0x7F, 0xAA];
        var samples = new short[4];

        LinearPcm.ReadLittleEndian16(bytes, samples);

        Assert.Equal(new short[] { 0x1234, -1, short.MinValue, short.MaxValue }, samples);
        var written = new byte[8];
        LinearPcm.WriteLittleEndian16(samples, written);
        Assert.Equal(bytes[..8], written);
        Assert.Throws<ArgumentException>(() => LinearPcm.ReadLittleEndian16(bytes, new short[3]));
        Assert.Throws<ArgumentException>(() => LinearPcm.WriteLittleEndian16(samples, new byte[7]));
    }

    [Fact]
    public void Converts_8_bit_unsigned_with_128_as_silence()
    {
        var samples = new short[4];

        LinearPcm.FromUnsigned8([0, 128, 255, 1], samples);

        Assert.Equal(new short[] { -32768, 0, 32512, -32512 }, samples);
        Assert.Throws<ArgumentException>(() => LinearPcm.FromUnsigned8(new byte[4], new short[3]));
    }

    [Fact]
    public void Downmixes_by_averaging_each_frame()
    {
        var mono = new short[3];

        LinearPcm.DownmixStereo([100, 300, short.MaxValue, short.MaxValue, short.MinValue, short.MaxValue], mono);
        Assert.Equal(new short[] { 200, short.MaxValue, -1 }, mono);

        LinearPcm.Downmix([3, 6, 9, 30, 60, 90, 1], 3, mono.AsSpan(0, 2));
        Assert.Equal(new short[] { 6, 60 }, mono[..2]);

        Assert.Throws<ArgumentOutOfRangeException>(() => LinearPcm.Downmix(new short[4], 0, new short[4]));
        Assert.Throws<ArgumentException>(() => LinearPcm.DownmixStereo(new short[8], new short[3]));
    }

    [Fact]
    public void Mixes_with_saturation_instead_of_wrapping()
    {
        var mixed = new short[3];

        LinearPcm.MixSaturating([30000, -30000, 100], [30000, -30000, -50], mixed);

        Assert.Equal(new short[] { short.MaxValue, short.MinValue, 50 }, mixed);
        Assert.Throws<ArgumentException>(() => LinearPcm.MixSaturating(new short[3], new short[2], mixed));
        Assert.Throws<ArgumentException>(() => LinearPcm.MixSaturating(new short[4], new short[4], mixed));
    }

    [Fact]
    public void Interleaves_left_then_right()
    {
        var stereo = new short[4];

        LinearPcm.Interleave([1, 2], [-1, -2], stereo);

        Assert.Equal(new short[] { 1, -1, 2, -2 }, stereo);
        Assert.Throws<ArgumentException>(() => LinearPcm.Interleave(new short[2], new short[1], stereo));
        Assert.Throws<ArgumentException>(() => LinearPcm.Interleave(new short[3], new short[3], stereo));
    }
}
