using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class AudioClipTests
{
    [Theory]
    [InlineData("tone1000_8k_mulaw.wav", AudioFileFormat.Wav)]
    [InlineData("tone1000_22k05_mono.mp3", AudioFileFormat.Mp3)]
    [InlineData("tone440_8k_mono.mp3", AudioFileFormat.Mp3)]
    public void Recognises_the_format_from_the_first_bytes(string file, AudioFileFormat format)
    {
        byte[] bytes = TestVectors.Read(file);

        AudioClip detected = AudioClip.Decode(bytes);
        AudioClip told = AudioClip.Decode(bytes, format);

        Assert.Equal(told.Samples.ToArray(), detected.Samples.ToArray());
    }

    [Theory]
    [InlineData("<!DOCTYPE html><html>", "3C21444F43545950")]
    [InlineData("{\"error\":404}", "'{\"error\"'")]
    [InlineData("OggS\0\u0002", "'OggS..")]
    public void Names_what_it_found_when_the_file_is_neither_wav_nor_mp3(string content, string expected)
    {
        var error = Assert.Throws<AudioFormatException>(() => AudioClip.Decode(System.Text.Encoding.UTF8.GetBytes(content)));

        Assert.StartsWith("Not a WAV or MP3 file", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Rejects_an_empty_file()
    {
        var error = Assert.Throws<AudioFormatException>(() => AudioClip.Decode([]));

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public void Resamples_tts_pcm_at_22_05_kHz()
    {
        short[] speech = Signal.Sine(800, 22050, 22050, 12000);

        AudioClip clip = AudioClip.FromPcm(speech, 22050);

        Assert.Equal(8000, clip.SampleCount);
        Assert.Equal(TimeSpan.FromSeconds(1), clip.Duration);
        Assert.Equal(800, Signal.DominantFrequency(clip.Samples.Span[500..7500], 8000));
    }

    [Fact]
    public void Copies_samples_so_later_changes_do_not_leak_in()
    {
        short[] samples = [1, 2, 3];

        AudioClip clip = AudioClip.FromSamples(samples);
        samples[0] = 99;

        Assert.Equal(new short[] { 1, 2, 3 }, clip.Samples.ToArray());
        Assert.Equal(0, AudioClip.Empty.SampleCount);
    }

    [Fact]
    public void Each_source_has_its_own_position_over_the_shared_samples()
    {
        AudioClip clip = AudioClip.FromSamples(Enumerable.Range(0, 400).Select(i => (short)i).ToArray());
        using IAudioSource first = clip.CreateSource();
        using IAudioSource second = clip.CreateSource();
        var frame = new short[160];

        first.Read(frame);
        first.Read(frame);
        Assert.Equal(160, second.Read(frame));

        Assert.Equal(0, frame[0]);
        Assert.Equal(80, first.Read(frame));
        Assert.Equal(320, frame[0]);
        Assert.True(first.Completed);
        Assert.False(second.Completed);
        Assert.Equal(0, first.Read(frame));
    }

    [Fact]
    public void Creates_looped_sources_and_rejects_negative_loops()
    {
        AudioClip clip = AudioClip.FromSamples(new short[100]);

        Assert.IsType<ClipAudioSource>(clip.CreateSource());
        Assert.IsType<LoopedAudioSource>(clip.CreateSource(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => clip.CreateSource(-1));
    }
}
