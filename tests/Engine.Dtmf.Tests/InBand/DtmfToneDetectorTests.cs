using Dialtone.Engine.Dtmf.InBand;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Dtmf.Tests.InBand;

public class DtmfToneDetectorTests
{
    private const string AllKeys = "123A456B789C*0#D";

    public static TheoryData<char> Keys => new() { '1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D' };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Detects_each_key_once(char key)
    {
        Assert.Equal(key.ToString(), Detect(DtmfSignal.Keys(key.ToString(), toneMs: 60, gapMs: 60, leadMs: 40)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(11)]
    public void Detects_all_16_keys_at_the_Q24_minimum_of_40_ms_tones_and_40_ms_gaps(int leadMs)
    {
        short[] audio = DtmfSignal.Keys(AllKeys, toneMs: 40, gapMs: 40, leadMs: leadMs);

        Assert.Equal(AllKeys, Detect(audio));
    }

    [Fact]
    public void Reports_a_repeated_key_once_per_press()
    {
        Assert.Equal("1111", Detect(DtmfSignal.Keys("1111", toneMs: 45, gapMs: 45)));
    }

    [Fact]
    public void Reports_a_long_press_once()
    {
        Assert.Equal("5", Detect(DtmfSignal.Keys("5", toneMs: 3000, gapMs: 100)));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(15)]
    public void Ignores_tones_too_short_to_be_a_key_press(int toneMs)
    {
        Assert.Equal(string.Empty, Detect(DtmfSignal.Keys("1234567890", toneMs, gapMs: 60)));
    }

    [Theory]
    [InlineData(0.015)]
    [InlineData(-0.015)]
    public void Accepts_the_frequency_tolerance_of_a_sender(double error)
    {
        Assert.Equal(AllKeys, Detect(DtmfSignal.Keys(AllKeys, toneMs: 50, gapMs: 50, frequencyError: error)));
    }

    [Theory]
    [InlineData(0.035)]
    [InlineData(-0.035)]
    [InlineData(0.05)]
    public void Rejects_tones_3_5_percent_or_more_off_frequency(double error)
    {
        Assert.Equal(string.Empty, Detect(DtmfSignal.Keys(AllKeys, toneMs: 50, gapMs: 50, frequencyError: error)));
    }

    [Theory]
    [InlineData(-9, -6, "high 3 dB above low")]
    [InlineData(-6, -13, "low 7 dB above high")]
    [InlineData(-25, -24, "weak but above the minimum level")]
    public void Accepts_twist_and_level_within_the_limits(double low, double high, string why)
    {
        Assert.True(Detect(DtmfSignal.Keys(AllKeys, 50, 50, low, high)) == AllKeys, why);
    }

    [Theory]
    [InlineData(-14, -6, "high 8 dB above low")]
    [InlineData(-4, -16, "low 12 dB above high")]
    [InlineData(-40, -38, "below the minimum level")]
    public void Rejects_twist_and_level_beyond_the_limits(double low, double high, string why)
    {
        Assert.True(Detect(DtmfSignal.Keys(AllKeys, 50, 50, low, high)) == string.Empty, why);
    }

    [Theory]
    [InlineData(0.015)]
    [InlineData(-0.015)]
    public void Detects_off_frequency_keys_in_noise_at_15_dB_snr(double error)
    {
        double[] keys = DtmfSignal.ToDouble(DtmfSignal.Keys(AllKeys, toneMs: 50, gapMs: 50, frequencyError: error));
        double toneRms = Math.Sqrt((Math.Pow(DtmfSignal.Peak(-8), 2) + Math.Pow(DtmfSignal.Peak(-6), 2)) / 2);
        double[] noisy = DtmfSignal.Add(keys, DtmfSignal.WhiteNoise(keys.Length, toneRms / Math.Pow(10, 15 / 20.0), seed: 2));

        Assert.Equal(AllKeys, Detect(DtmfSignal.ToPcm(noisy)));
    }

    [Fact]
    public void Detects_keys_in_noise_at_15_dB_snr()
    {
        double[] keys = DtmfSignal.ToDouble(DtmfSignal.Keys(AllKeys, toneMs: 50, gapMs: 50));
        double toneRms = Math.Sqrt((Math.Pow(DtmfSignal.Peak(-8), 2) + Math.Pow(DtmfSignal.Peak(-6), 2)) / 2);
        double[] noisy = DtmfSignal.Add(keys, DtmfSignal.WhiteNoise(keys.Length, toneRms / Math.Pow(10, 15 / 20.0), seed: 1));

        Assert.Equal(AllKeys, Detect(DtmfSignal.ToPcm(noisy)));
    }

    [Fact]
    public void Survives_a_trip_through_G711()
    {
        short[] keys = DtmfSignal.Keys(AllKeys, toneMs: 50, gapMs: 50);
        var codes = new byte[keys.Length];
        var decoded = new short[keys.Length];
        ALaw.Encode(keys, codes);
        ALaw.Decode(codes, decoded);

        Assert.Equal(AllKeys, Detect(decoded));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(10000)]
    public void Finds_nothing_in_white_noise(double rms)
    {
        Assert.Equal(string.Empty, Detect(DtmfSignal.ToPcm(DtmfSignal.WhiteNoise(8000 * 20, rms, seed: (int)rms))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Finds_nothing_in_speech_like_audio(int seed)
    {
        Assert.Equal(string.Empty, Detect(DtmfSignal.ToPcm(DtmfSignal.SpeechLike(20_000, 20000, seed))));
    }

    [Fact]
    public void Finds_nothing_in_a_mixed_1_kHz_and_2_kHz_tone()
    {
        double[] mixed = DtmfSignal.Tones(5000, (1000, 10000), (2000, 10000));

        Assert.Equal(string.Empty, Detect(DtmfSignal.ToPcm(mixed)));
    }

    [Fact]
    public void Finds_nothing_in_a_chord_near_three_DTMF_tones()
    {
        // 700, 1200 and 1500 Hz sit close to 697, 1209 and 1477: two column tones compete.
        double[] chord = DtmfSignal.Tones(5000, (700, 8000), (1200, 8000), (1500, 8000));

        Assert.Equal(string.Empty, Detect(DtmfSignal.ToPcm(chord)));
    }

    [Fact]
    public void Finds_nothing_in_a_single_DTMF_frequency()
    {
        double[] dialTone = DtmfSignal.Tones(5000, (941, 12000));

        Assert.Equal(string.Empty, Detect(DtmfSignal.ToPcm(dialTone)));
    }

    [Fact]
    public void Finds_keys_between_stretches_of_speech()
    {
        double[] speech = DtmfSignal.SpeechLike(1000, 15000, seed: 9);
        short[] keys = DtmfSignal.Keys("#9", toneMs: 60, gapMs: 60);
        short[] audio = [.. DtmfSignal.ToPcm(speech), .. keys, .. DtmfSignal.ToPcm(speech)];

        Assert.Equal("#9", Detect(audio));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(160)]
    [InlineData(1000)]
    public void Gives_the_same_digits_whatever_the_frame_size(int frame)
    {
        short[] audio = DtmfSignal.Keys(AllKeys, toneMs: 45, gapMs: 45, leadMs: 5);

        Assert.Equal(AllKeys, Detect(audio, frame));
    }

    [Fact]
    public void Processing_a_frame_allocates_nothing()
    {
        short[] audio = DtmfSignal.Keys("159#", toneMs: 60, gapMs: 60);
        var detector = new DtmfToneDetector();
        var digits = new char[DtmfToneDetector.MaxDigitsFor(160)];
        int offset = 0;

        long allocated = Measure(() =>
        {
            detector.Process(audio.AsSpan(offset, 160), digits);
            offset = (offset + 160) % (audio.Length - 160);
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Reset_forgets_a_key_in_progress()
    {
        var detector = new DtmfToneDetector();
        short[] tone = DtmfSignal.Keys("7", toneMs: 100, gapMs: 0);
        var digits = new char[DtmfToneDetector.MaxDigitsFor(tone.Length)];

        Assert.Equal(1, detector.Process(tone, digits));
        Assert.Equal('7', detector.CurrentDigit);
        detector.Reset();
        Assert.Equal('\0', detector.CurrentDigit);
        Assert.Equal(1, detector.Process(tone, digits));
    }

    [Fact]
    public void Rejects_bad_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfToneDetector(-61));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DtmfToneDetector(1));
        Assert.Throws<ArgumentException>(() => new DtmfToneDetector().Process(new short[1000], new char[1]));
    }

    internal static string Detect(short[] audio, int frame = 160)
    {
        var detector = new DtmfToneDetector();
        var digits = new char[DtmfToneDetector.MaxDigitsFor(frame)];
        var found = new System.Text.StringBuilder();
        for (int offset = 0; offset < audio.Length; offset += frame)
        {
            int count = detector.Process(audio.AsSpan(offset, Math.Min(frame, audio.Length - offset)), digits);
            found.Append(digits, 0, count);
        }

        return found.ToString();
    }

    /// <summary>
    /// Bytes allocated by 1,000 runs of <paramref name="action"/>, the least of five rounds: a round
    /// can catch a one-off allocation of the runtime itself (a method being recompiled at a higher
    /// tier on this thread), while an allocation of the code under test shows in every round.
    /// </summary>
    private static long Measure(Action action)
    {
        for (int i = 0; i < 100; i++)
        {
            action();
        }

        long least = long.MaxValue;
        for (int round = 0; round < 5 && least > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                action();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
