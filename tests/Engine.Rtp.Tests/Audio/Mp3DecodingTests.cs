using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class Mp3DecodingTests
{
    // Files written by LAME 3.100 from SoX sines at half of full scale (peak 16384). An MP3 is a
    // little longer than its source: the encoder's delay and the padding of the last frame.
    [Theory]
    [InlineData("tone1000_22k05_mono.mp3", 1000, 1.0)] // MPEG-2, with an ID3v2 tag and an Info frame
    [InlineData("tone440_8k_mono.mp3", 440, 1.0)] // MPEG-2.5 at 8 kHz
    public void Decodes_mono_files_at_their_rate_to_an_8_kHz_tone(string file, int frequency, double seconds)
    {
        AudioClip clip = AudioClip.FromMp3(TestVectors.Read(file));

        Assert.InRange(clip.Duration.TotalSeconds, seconds, seconds + 0.2);
        ReadOnlySpan<short> middle = clip.Samples.Span[2000..6000];
        Assert.Equal(frequency, Signal.DominantFrequency(middle, 8000));
        Assert.InRange(Signal.ToneAmplitude(middle, frequency, 8000), 16384 * 0.85, 16384 * 1.1);
    }

    [Fact]
    public void Downmixes_joint_stereo_at_44_1_kHz()
    {
        AudioClip clip = AudioClip.FromMp3(TestVectors.Read("tone600l_1000r_44k1_stereo.mp3"));

        Assert.InRange(clip.Duration.TotalSeconds, 0.5, 0.7);
        ReadOnlySpan<short> middle = clip.Samples.Span[1000..3500];
        Assert.InRange(Signal.ToneAmplitude(middle, 600, 8000), 8192 * 0.85, 8192 * 1.1);
        Assert.InRange(Signal.ToneAmplitude(middle, 1000, 8000), 8192 * 0.85, 8192 * 1.1);
    }

    [Fact]
    public void Skips_the_encoder_info_frame_instead_of_playing_it_as_silence()
    {
        // LAME writes an Info frame first; played as audio it would be 576 samples of silence at
        // 22.05 kHz (209 at 8 kHz). The tone must start within the encoder's own delay.
        AudioClip clip = AudioClip.FromMp3(TestVectors.Read("tone1000_22k05_mono.mp3"));

        int firstLoud = clip.Samples.Span.IndexOfAnyExceptInRange((short)-2000, (short)2000);
        Assert.InRange(firstLoud, 0, 1105 * 8000 / 22050 + 20);
    }

    [Fact]
    public void Decodes_the_same_whatever_the_chunking()
    {
        byte[] file = TestVectors.Read("tone1000_22k05_mono.mp3");
        short[] whole = AudioClip.FromMp3(file).Samples.ToArray();

        using var decoder = new Pcm8kDecoder();
        short[] output = ChunkedDecoding.Decode(decoder, file, new Random(3), maxChunk: 200);

        Assert.Equal(AudioFileFormat.Mp3, decoder.Format);
        Assert.Equal(whole, output);
    }

    [Fact]
    public void Plays_what_arrived_of_a_truncated_file()
    {
        byte[] file = TestVectors.Read("tone1000_22k05_mono.mp3");

        AudioClip clip = AudioClip.FromMp3(file.AsSpan(0, file.Length / 2));

        Assert.InRange(clip.Duration.TotalSeconds, 0.3, 0.6);
    }

    [Fact]
    public void Finds_frames_after_leading_junk_and_ignores_trailing_tags()
    {
        byte[] file = TestVectors.Read("tone440_8k_mono.mp3");
        byte[] junk = [.. new byte[300], 0xFF, 0xFB, 0x00, .. "TAG"u8, .. file, .. "TAG"u8, .. new byte[125]];

        AudioClip clip = AudioClip.FromMp3(junk);

        Assert.Equal(AudioClip.FromMp3(file).SampleCount, clip.SampleCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(5000)]
    [InlineData(200_000)]
    public void Rejects_data_without_mpeg_frames(int length)
    {
        var random = new Random(length);
        var noise = new byte[length];
        random.NextBytes(noise);
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] &= 0x7F; // no 0xFF bytes, so no frame sync anywhere
        }

        var error = Assert.Throws<AudioFormatException>(() => AudioClip.FromMp3(noise));

        Assert.Contains("No MPEG audio frame found", error.Message);
    }

    [Fact]
    public void Rejects_an_id3_tag_with_no_audio_after_it()
    {
        byte[] tagOnly = [.. "ID3"u8, 3, 0, 0, 0, 0, 0x10, 0x00, .. new byte[100]];

        var error = Assert.Throws<AudioFormatException>(() => AudioClip.FromMp3(tagOnly));

        Assert.Contains("ID3", error.Message);
    }

    [Fact]
    public void Damaged_frames_are_skipped_never_crash()
    {
        byte[] original = TestVectors.Read("tone440_8k_mono.mp3");
        var random = new Random(11);
        for (int round = 0; round < 150; round++)
        {
            byte[] damaged = (byte[])original.Clone();
            for (int i = 0; i < 20; i++)
            {
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            }

            try
            {
                AudioClip clip = AudioClip.FromMp3(damaged);
                Assert.True(clip.Duration < TimeSpan.FromSeconds(2));
            }
            catch (AudioFormatException)
            {
            }
        }
    }
}
