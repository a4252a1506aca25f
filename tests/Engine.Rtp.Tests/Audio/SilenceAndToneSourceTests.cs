using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class SilenceAndToneSourceTests
{
    [Fact]
    public void Bounded_silence_yields_exactly_its_length_in_zeros()
    {
        using var silence = new SilenceAudioSource(TimeSpan.FromMilliseconds(1010));
        var frame = new short[160];
        Array.Fill(frame, (short)7);
        int total = 0;
        int reads = 0;

        while (!silence.Completed && reads++ < 100)
        {
            int read = silence.Read(frame);
            Assert.All(frame[..read], s => Assert.Equal(0, s));
            total += read;
        }

        Assert.Equal(8080, total);
        Assert.Equal(0, silence.Read(frame));
        Assert.True(silence.Rewind());
        Assert.False(silence.Completed);
        Assert.Equal(160, SilenceAudioSource.ForSamples(160).Read(frame));
    }

    [Fact]
    public void Endless_silence_never_completes()
    {
        using var silence = new SilenceAudioSource();
        var frame = new short[160];

        for (int i = 0; i < 10_000; i++)
        {
            Assert.Equal(160, silence.Read(frame));
        }

        Assert.False(silence.Completed);
    }

    [Fact]
    public void Rejects_negative_lengths()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SilenceAudioSource(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SilenceAudioSource.ForSamples(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioSource(440, 1000, TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void A_tone_has_its_frequency_level_and_length()
    {
        using var tone = new ToneAudioSource(1000, 10000, TimeSpan.FromMilliseconds(500));
        short[] samples = ReadAll(tone, 160);

        Assert.Equal(4000, samples.Length);
        Assert.True(tone.Completed);
        Assert.Equal(1000, Signal.DominantFrequency(samples, 8000));
        Assert.InRange(Signal.ToneAmplitude(samples, 1000, 8000), 9990, 10010);
        Assert.Equal(0, samples[0]); // starts at phase 0: no click
    }

    [Fact]
    public void A_dual_tone_holds_both_frequencies()
    {
        using var tone = new ToneAudioSource(697, 6000, 1209, 8000, TimeSpan.FromSeconds(1));
        short[] samples = ReadAll(tone, 160);

        Assert.InRange(Signal.ToneAmplitude(samples, 697, 8000), 5990, 6010);
        Assert.InRange(Signal.ToneAmplitude(samples, 1209, 8000), 7990, 8010);
        Assert.True(Signal.ToneAmplitude(samples, 1000, 8000) < 60);
    }

    [Fact]
    public void Reading_in_frames_gives_the_same_signal_as_one_long_read()
    {
        using var framed = new ToneAudioSource(1477, 12000, 852, 9000, TimeSpan.FromSeconds(2));
        using var whole = new ToneAudioSource(1477, 12000, 852, 9000, TimeSpan.FromSeconds(2));

        short[] a = ReadAll(framed, 160);
        short[] b = ReadAll(whole, 16000);

        Assert.Equal(a.Length, b.Length);
        for (int i = 0; i < a.Length; i++)
        {
            Assert.InRange(a[i] - b[i], -1, 1);
        }
    }

    [Fact]
    public void An_endless_tone_keeps_its_pitch_and_level_after_an_hour()
    {
        using var tone = new ToneAudioSource(1000, 10000);
        var frame = new short[8000];
        for (int second = 0; second < 3600; second++)
        {
            tone.Read(frame);
        }

        tone.Read(frame);

        Assert.False(tone.Completed);
        Assert.InRange(Signal.ToneAmplitude(frame, 1000, 8000), 9990, 10010);
        Assert.InRange(frame[0], -2, 2); // 3601 s of 1 kHz: back at phase 0
    }

    [Fact]
    public void Two_loud_tones_saturate_instead_of_wrapping()
    {
        using var tone = new ToneAudioSource(1000, 30000, 1000.0001, 30000, TimeSpan.FromMilliseconds(10));
        short[] samples = ReadAll(tone, 80);

        Assert.Equal(short.MaxValue, samples.Max());
        Assert.InRange(samples.Min(), short.MinValue, short.MinValue + 2);
    }

    [Theory]
    [InlineData('1', 697, 1209)]
    [InlineData('5', 770, 1336)]
    [InlineData('9', 852, 1477)]
    [InlineData('0', 941, 1336)]
    [InlineData('*', 941, 1209)]
    [InlineData('#', 941, 1477)]
    [InlineData('d', 941, 1633)]
    public void Dtmf_keys_play_their_Q23_frequency_pair(char key, int low, int high)
    {
        using var tone = ToneAudioSource.ForDtmfDigit(key, TimeSpan.FromMilliseconds(100));
        short[] samples = ReadAll(tone, 160);

        Assert.Equal(800, samples.Length);
        // 100 ms is not a whole number of periods, so the single-bin measure is good to about 1%.
        Assert.InRange(Signal.ToneAmplitude(samples, low, 8000), ToneAudioSource.PeakForLevel(-7) * 0.985, ToneAudioSource.PeakForLevel(-7) * 1.015);
        Assert.InRange(Signal.ToneAmplitude(samples, high, 8000), ToneAudioSource.PeakForLevel(-5) * 0.985, ToneAudioSource.PeakForLevel(-5) * 1.015);
    }

    [Fact]
    public void Levels_follow_the_digital_milliwatt()
    {
        Assert.Equal(32636, ToneAudioSource.PeakForLevel(3.17)); // full scale
        Assert.InRange(ToneAudioSource.PeakForLevel(3.17 - 6.0206), (32636 / 2) - 1, (32636 / 2) + 1);
        Assert.Equal(short.MaxValue, ToneAudioSource.PeakForLevel(20));
        Assert.Equal(0, ToneAudioSource.PeakForLevel(-400));
        using var beep = ToneAudioSource.Beep();
        Assert.Equal(4000, ReadAll(beep, 160).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(4000)]
    [InlineData(double.NaN)]
    public void Rejects_tones_outside_the_8_kHz_band(double frequency)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioSource(frequency, 1000));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ToneAudioSource(1000, 1000, frequency, 1000));
        Assert.Throws<ArgumentException>(() => ToneAudioSource.ForDtmfDigit('x', TimeSpan.FromSeconds(1)));
    }

    internal static short[] ReadAll(IAudioSource source, int frame)
    {
        var samples = new List<short>();
        var buffer = new short[frame];
        for (int guard = 0; !source.Completed && guard < 1_000_000; guard++)
        {
            int read = source.Read(buffer);
            samples.AddRange(buffer.AsSpan(0, read));
        }

        return samples.ToArray();
    }
}
