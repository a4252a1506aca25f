using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class PcmResamplerTests
{
    public static TheoryData<int> Rates => new() { 8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000 };

    public static TheoryData<int> RatesAbove10k => new() { 11025, 16000, 22050, 24000, 32000, 44100, 48000 };

    [Theory]
    [MemberData(nameof(Rates))]
    public void Keeps_a_3400_Hz_tone_within_1_dB(int rate)
    {
        short[] input = Signal.Sine(3400, rate, rate, 10000);

        short[] output = PcmResampler.To8k(input, rate);

        // Measure away from the edges, where the filter sees only half a signal.
        ReadOnlySpan<short> middle = output.AsSpan(1000, 6000);
        double amplitude = Signal.ToneAmplitude(middle, 3400, 8000);
        Assert.InRange(Signal.Db(amplitude / 10000), -1.0, 0.5);
    }

    [Theory]
    [MemberData(nameof(RatesAbove10k))]
    public void Attenuates_a_5_kHz_tone_by_at_least_40_dB(int rate)
    {
        short[] input = Signal.Sine(5000, rate, rate, 20000);

        short[] output = PcmResampler.To8k(input, rate);

        // Whatever survives (a 5 kHz tone would fold to 3 kHz at 8 kHz) must be 40 dB down.
        double residualRms = Signal.Rms(output.AsSpan(1000, 6000));
        double inputRms = 20000 / Math.Sqrt(2);
        Assert.True(Signal.Db(residualRms / inputRms) <= -40, $"residual {Signal.Db(residualRms / inputRms):F1} dB");
        Assert.True(Signal.Db(Signal.ToneAmplitude(output.AsSpan(1000, 6000), 3000, 8000) / 20000) <= -40);
    }

    [Theory]
    [InlineData(48000, 48000)]
    [InlineData(44100, 44100)]
    [InlineData(22050, 22050)]
    [InlineData(22050, 1)]
    [InlineData(22050, 7)]
    [InlineData(11025, 100_000)]
    [InlineData(16000, 16001)]
    [InlineData(8000, 160)]
    [InlineData(48000, 0)]
    public void Produces_ceil_of_frames_times_8000_over_rate_samples(int rate, int frames)
    {
        short[] input = Signal.Sine(440, rate, frames, 1000);

        short[] output = PcmResampler.To8k(input, rate);

        Assert.Equal((int)Math.Ceiling(frames * 8000.0 / rate), output.Length);
    }

    [Theory]
    [MemberData(nameof(Rates))]
    public void Streaming_in_chunks_equals_one_shot(int rate)
    {
        short[] input = Signal.Sine(1000, rate, rate / 2, 8000);
        for (int i = 0; i < input.Length; i += 97)
        {
            input[i] = (short)(input[i] / 2); // not a pure tone: any misaligned chunk would show
        }

        short[] oneShot = PcmResampler.To8k(input, rate);

        var random = new Random(rate);
        using var resampler = new PcmResampler(rate);
        var streamed = new List<short>();
        var buffer = new short[resampler.MaxOutputFor(5000)];
        for (int offset = 0; offset < input.Length;)
        {
            int chunk = Math.Min(random.Next(1, 5000), input.Length - offset);
            int written = resampler.Process(input.AsSpan(offset, chunk), buffer);
            Assert.InRange(written, 0, resampler.MaxOutputFor(chunk));
            streamed.AddRange(buffer.AsSpan(0, written));
            offset += chunk;
        }

        int flushed = resampler.Flush(buffer);
        streamed.AddRange(buffer.AsSpan(0, flushed));
        Assert.Equal(oneShot, streamed.ToArray());
    }

    [Fact]
    public void Output_is_aligned_with_input_with_no_filter_delay()
    {
        var input = new short[48000];
        input[24000] = short.MaxValue; // an impulse at 0.5 s

        short[] output = PcmResampler.To8k(input, 48000);

        int peak = Array.IndexOf(output, output.Max());
        Assert.InRange(peak, 3999, 4001);
    }

    [Fact]
    public void Averages_stereo_channels_to_mono()
    {
        short[] tone = Signal.Sine(1000, 44100, 44100, 10000);
        var same = new short[tone.Length * 2];
        var opposite = new short[tone.Length * 2];
        for (int i = 0; i < tone.Length; i++)
        {
            same[2 * i] = same[(2 * i) + 1] = tone[i];
            opposite[2 * i] = tone[i];
            opposite[(2 * i) + 1] = (short)-tone[i];
        }

        Assert.Equal(PcmResampler.To8k(tone, 44100), PcmResampler.To8k(same, 44100, 2));
        Assert.True(Signal.Rms(PcmResampler.To8k(opposite, 44100, 2)) < 1);
    }

    [Fact]
    public void Passes_8_kHz_mono_through_unchanged()
    {
        short[] input = Signal.Sine(1000, 8000, 800, 12345);

        Assert.Equal(input, PcmResampler.To8k(input, 8000));
    }

    [Fact]
    public void Is_reusable_after_flush()
    {
        short[] input = Signal.Sine(700, 22050, 5000, 9000);
        using var resampler = new PcmResampler(22050);
        var first = new short[resampler.MaxOutputFor(input.Length) + 100];
        var second = new short[first.Length];

        int a = resampler.Process(input, first);
        a += resampler.Flush(first.AsSpan(a));
        int b = resampler.Process(input, second);
        b += resampler.Flush(second.AsSpan(b));

        Assert.Equal(first.AsSpan(0, a).ToArray(), second.AsSpan(0, b).ToArray());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3999, 1)]
    [InlineData(400_000, 1)]
    [InlineData(48000, 0)]
    [InlineData(48000, 17)]
    public void Rejects_out_of_range_rates_and_channel_counts(int rate, int channels) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PcmResampler(rate, channels));

    [Fact]
    public void Rejects_partial_frames_and_short_outputs()
    {
        using var stereo = new PcmResampler(48000, 2);
        Assert.Throws<ArgumentException>(() => stereo.Process(new short[3], new short[100]));
        Assert.Throws<ArgumentException>(() => stereo.Process(new short[960], new short[10]));
        Assert.Throws<ArgumentException>(() => PcmResampler.To8k(new short[3], 48000, 2));
    }

    [Fact]
    public void Throws_after_dispose()
    {
        var resampler = new PcmResampler(16000);
        resampler.Dispose();
        resampler.Dispose();

        Assert.Throws<ObjectDisposedException>(() => resampler.Process(new short[16], new short[16]));
        Assert.Throws<ObjectDisposedException>(() => resampler.Flush(new short[16]));
    }

    [Theory]
    [InlineData(48000)]
    [InlineData(22050)]
    public void Process_allocates_nothing_once_warm(int rate)
    {
        using var resampler = new PcmResampler(rate);
        short[] input = Signal.Sine(440, rate, rate / 50, 1000);
        var output = new short[resampler.MaxOutputFor(input.Length)];

        long allocated = Allocations.Measure(() => resampler.Process(input, output));

        Assert.Equal(0, allocated);
    }
}
