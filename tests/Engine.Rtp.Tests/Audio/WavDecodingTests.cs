using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class WavDecodingTests
{
    // Files written by SoX: a 1 kHz sine at half of full scale (peak 16384) unless named otherwise.
    [Theory]
    [InlineData("tone1000_8k_pcm16_mono.wav", 4000)]
    [InlineData("tone1000_16k_pcm16_mono.wav", 4000)]
    [InlineData("tone1000_22k05_u8_mono.wav", 4000)]
    [InlineData("tone1000_8k_mulaw.wav", 4000)]
    [InlineData("tone1000_8k_alaw.wav", 4000)]
    [InlineData("tone1000_48k_pcm24_extensible.wav", 2000)]
    public void Decodes_each_encoding_and_rate_to_the_same_8_kHz_tone(string file, int expectedSamples)
    {
        AudioClip clip = AudioClip.FromWav(TestVectors.Read(file));

        Assert.Equal(expectedSamples, clip.SampleCount);
        Assert.Equal(TimeSpan.FromSeconds(expectedSamples / 8000.0), clip.Duration);
        ReadOnlySpan<short> middle = clip.Samples.Span[400..(expectedSamples - 400)];
        Assert.Equal(1000, Signal.DominantFrequency(middle, 8000));
        Assert.InRange(Signal.ToneAmplitude(middle, 1000, 8000), 16384 * 0.93, 16384 * 1.05);
    }

    [Fact]
    public void Downmixes_stereo_at_44_1_kHz_to_mono()
    {
        // Left 600 Hz, right 1 kHz, each at peak 16384: the mono mix holds both at half.
        AudioClip clip = AudioClip.FromWav(TestVectors.Read("tone600l_1000r_44k1_pcm16_stereo.wav"));

        Assert.Equal(2000, clip.SampleCount);
        ReadOnlySpan<short> middle = clip.Samples.Span[200..1800];
        Assert.InRange(Signal.ToneAmplitude(middle, 600, 8000), 8192 * 0.93, 8192 * 1.07);
        Assert.InRange(Signal.ToneAmplitude(middle, 1000, 8000), 8192 * 0.93, 8192 * 1.07);
    }

    [Fact]
    public void Skips_unknown_chunks_and_their_pad_bytes()
    {
        short[] tone = Signal.Sine(1000, 8000, 800, 10000);
        byte[] file = new WavBuilder()
            .Chunk("LIST", "INFOISFT\u0005\0\0\0odd!!\0"u8.ToArray()) // 17 bytes: odd, padded
            .Chunk("JUNK", new byte[27])
            .Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 16))
            .Chunk("fact", new byte[4])
            .Chunk("cue ", new byte[3])
            .Chunk("data", WavBuilder.Pcm16(tone))
            .Chunk("LIST", new byte[9])
            .Build();

        AudioClip clip = AudioClip.FromWav(file);

        Assert.Equal(tone, clip.Samples.ToArray());
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0xFFFFFFFFu)]
    [InlineData(1_000_000u)]
    public void Reads_to_the_end_when_the_data_size_is_unknown_or_too_large(uint declaredSize)
    {
        short[] tone = Signal.Sine(1000, 8000, 801, 10000);
        byte[] file = new WavBuilder()
            .RiffSize(declaredSize)
            .Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 16))
            .Chunk("data", WavBuilder.Pcm16(tone), declaredSize, pad: false)
            .Raw(0x12) // half a sample: a writer stopped mid-frame
            .Build();

        AudioClip clip = AudioClip.FromWav(file);

        Assert.Equal(tone, clip.Samples.ToArray());
    }

    [Fact]
    public void Reads_an_odd_length_8_bit_data_chunk_and_ignores_what_follows()
    {
        byte[] samples = [128, 255, 0];
        byte[] file = new WavBuilder()
            .Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 8))
            .Chunk("data", samples)
            .Chunk("id3 ", [1, 2, 3, 4])
            .Build();

        AudioClip clip = AudioClip.FromWav(file);

        Assert.Equal(new short[] { 0, 32512, -32768 }, clip.Samples.ToArray());
    }

    [Fact]
    public void Reads_float_and_extensible_pcm()
    {
        var floats = new byte[12];
        BitConverter.TryWriteBytes(floats.AsSpan(0), 0.5f);
        BitConverter.TryWriteBytes(floats.AsSpan(4), -2f); // out of range: clips
        BitConverter.TryWriteBytes(floats.AsSpan(8), float.NaN);
        byte[] floatFile = new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(3, 1, 8000, 32)).Chunk("data", floats).Build();
        byte[] extensible = new WavBuilder()
            .Chunk("fmt ", WavBuilder.ExtensibleFmt(1, 2, 8000, 16))
            .Chunk("data", WavBuilder.Pcm16([1000, 3000, -1000, -3000]))
            .Build();

        Assert.Equal(new short[] { 16384, short.MinValue, 0 }, AudioClip.FromWav(floatFile).Samples.ToArray());
        Assert.Equal(new short[] { 2000, -2000 }, AudioClip.FromWav(extensible).Samples.ToArray());
    }

    [Fact]
    public void Decodes_the_same_whatever_the_chunking()
    {
        byte[] file = TestVectors.Read("tone600l_1000r_44k1_pcm16_stereo.wav");
        short[] whole = AudioClip.FromWav(file).Samples.ToArray();

        using var decoder = new Pcm8kDecoder();
        short[] output = ChunkedDecoding.Decode(decoder, file, new Random(7), maxChunk: 300);

        Assert.True(decoder.IsFinished);
        Assert.Equal(whole, output);
    }

    public static TheoryData<string, byte[], string> Garbage => new()
    {
        { "empty", [], "shorter than a RIFF header" },
        { "html", "<html><body>Not Found</body></html>"u8.ToArray(), "'RIFF'" },
        { "short", "RIFF\0\0\0\0WAV"u8.ToArray(), "shorter than a RIFF header" },
        { "avi", "RIFF\0\0\0\0AVI LIST"u8.ToArray(), "'AVI '" },
        { "rf64", "RF64\xFF\xFF\xFF\xFFWAVEds64"u8.ToArray(), "RF64" },
        { "no fmt", new WavBuilder().Chunk("data", new byte[8]).Build(), "before the fmt chunk" },
        { "no data", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 16)).Build(), "no data chunk" },
        { "nothing", new WavBuilder().Build(), "no fmt chunk" },
        { "skip past end", new WavBuilder().Chunk("LIST", new byte[4], 4000, pad: false).Build(), "no fmt chunk" },
        { "tiny fmt", new WavBuilder().Chunk("fmt ", new byte[10]).Build(), "fmt chunk is 10 bytes" },
        { "huge fmt", new WavBuilder().Chunk("fmt ", new byte[8], 100_000, pad: false).Build(), "fmt chunk is 100000 bytes" },
        { "cut fmt", new WavBuilder().Chunk("fmt ", new byte[8], 16, pad: false).Build(), "inside its fmt chunk" },
        { "two fmt", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 16)).Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 16)).Build(), "two fmt chunks" },
        { "adpcm", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(2, 1, 8000, 4, 256)).Chunk("data", new byte[256]).Build(), "0x0002 (Microsoft ADPCM)" },
        { "mp3 in wav", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(0x55, 1, 8000, 0, 1)).Build(), "0x0055 (MPEG Layer 3)" },
        { "12-bit", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 8000, 12, 2)).Build(), "12-bit samples" },
        { "16-bit mu-law", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(7, 1, 8000, 16)).Build(), "16-bit samples" },
        { "no channels", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 0, 8000, 16, 2)).Build(), "0 channels" },
        { "many channels", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 40, 8000, 16)).Build(), "40 channels" },
        { "slow rate", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 1000, 16)).Build(), "1000 Hz" },
        { "zero rate", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 1, 0, 16)).Build(), "0 Hz" },
        { "bad align", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(1, 2, 8000, 16, 3)).Build(), "block align 3" },
        { "short extensible", new WavBuilder().Chunk("fmt ", WavBuilder.Fmt(0xFFFE, 1, 8000, 16)).Build(), "too short for the extension" },
        { "odd guid", new WavBuilder().Chunk("fmt ", Corrupt(WavBuilder.ExtensibleFmt(1, 1, 8000, 16), 30)).Build(), "not a WAVE format tag" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Rejects_what_is_not_a_playable_wav_with_a_clear_error(string name, byte[] file, string expected)
    {
        var error = Assert.Throws<AudioFormatException>(() => AudioClip.FromWav(file));

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{name}: {error.Message}");
    }

    [Fact]
    public void Damaged_files_give_an_audio_format_error_or_audio_never_anything_else()
    {
        byte[] original = new WavBuilder()
            .Chunk("LIST", new byte[6])
            .Chunk("fmt ", WavBuilder.Fmt(1, 2, 8000, 16))
            .Chunk("data", WavBuilder.Pcm16(Signal.Sine(500, 8000, 500, 9000, 2)))
            .Build();
        var random = new Random(42);
        for (int round = 0; round < 1000; round++)
        {
            byte[] damaged = (byte[])original.Clone();
            int flips = random.Next(1, 8);
            for (int i = 0; i < flips; i++)
            {
                // Damage the headers mostly: that is where parsing can go wrong.
                int at = random.Next(0, Math.Min(damaged.Length, random.Next(2) == 0 ? 80 : damaged.Length));
                damaged[at] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                damaged = damaged[..random.Next(damaged.Length)];
            }

            try
            {
                AudioClip clip = AudioClip.FromWav(damaged, TimeSpan.FromMinutes(10));
                Assert.True(clip.SampleCount <= 8000 * 60 * 10);
            }
            catch (AudioFormatException)
            {
            }
        }
    }

    [Fact]
    public void Refuses_audio_longer_than_the_limit()
    {
        byte[] file = TestVectors.Read("tone1000_8k_pcm16_mono.wav"); // 0.5 s

        var error = Assert.Throws<AudioFormatException>(() => AudioClip.FromWav(file, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("longer than", error.Message);
    }

    private static byte[] Corrupt(byte[] bytes, int at)
    {
        bytes[at] ^= 0xFF;
        return bytes;
    }
}
