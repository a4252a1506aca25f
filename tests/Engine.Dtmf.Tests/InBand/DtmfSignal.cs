namespace Dialtone.Engine.Dtmf.Tests.InBand;

/// <summary>Synthesised test audio at 8 kHz: DTMF keys, noise, speech-like and musical signals.</summary>
internal static class DtmfSignal
{
    public const int Rate = 8000;

    private const string KeyOrder = "123A456B789C*0#D";
    private static readonly double[] Rows = [697, 770, 852, 941];
    private static readonly double[] Columns = [1209, 1336, 1477, 1633];

    /// <summary>The peak amplitude of a sine at a level in dBm0 (G.711: full scale is +3.17 dBm0).</summary>
    public static double Peak(double dbm0) => 8159.0 * 4 * Math.Pow(10, (dbm0 - 3.17) / 20);

    public static (double Low, double High) Frequencies(char key)
    {
        int index = KeyOrder.IndexOf(key);
        return (Rows[index / 4], Columns[index % 4]);
    }

    /// <summary>Keys played one after another: a gap, then each tone followed by a gap.</summary>
    public static short[] Keys(string keys, int toneMs, int gapMs, double lowDbm0 = -8, double highDbm0 = -6, int leadMs = 0, double frequencyError = 0)
    {
        var signal = new List<double>();
        signal.AddRange(new double[leadMs * Rate / 1000]);
        foreach (char key in keys)
        {
            (double low, double high) = Frequencies(key);
            signal.AddRange(Tones(toneMs, (low * (1 + frequencyError), Peak(lowDbm0)), (high * (1 + frequencyError), Peak(highDbm0))));
            signal.AddRange(new double[gapMs * Rate / 1000]);
        }

        return ToPcm(signal.ToArray());
    }

    public static double[] Tones(int milliseconds, params (double Frequency, double Amplitude)[] tones)
    {
        var samples = new double[milliseconds * Rate / 1000];
        for (int i = 0; i < samples.Length; i++)
        {
            foreach ((double frequency, double amplitude) in tones)
            {
                samples[i] += amplitude * Math.Sin(2 * Math.PI * frequency * i / Rate);
            }
        }

        return samples;
    }

    public static double[] WhiteNoise(int samples, double rms, int seed)
    {
        var random = new Random(seed);
        var noise = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            // Box-Muller: Gaussian noise.
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            noise[i] = rms * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return noise;
    }

    /// <summary>
    /// A voiced, speech-like signal: a glottal-style harmonic series whose pitch glides between
    /// 90 and 250 Hz with a little cycle-to-cycle jitter, shaped by vowel formants that change
    /// every 150 ms, with breath noise 25 dB down. Its harmonics cross every DTMF frequency again
    /// and again.
    /// </summary>
    public static double[] SpeechLike(int milliseconds, double peak, int seed)
    {
        var random = new Random(seed);
        var samples = new double[milliseconds * Rate / 1000];
        (double F1, double F2, double F3)[] vowels = [(730, 1090, 2440), (270, 2290, 3010), (300, 870, 2240), (530, 1840, 2480), (640, 1190, 2390), (440, 1020, 2240)];
        double phase = 0;
        double jitter = 0;
        (double F1, double F2, double F3) vowel = vowels[0];
        for (int i = 0; i < samples.Length; i++)
        {
            if (i % 1200 == 0)
            {
                vowel = vowels[random.Next(vowels.Length)];
            }

            if (i % 40 == 0)
            {
                jitter = (random.NextDouble() - 0.5) * 0.02; // ±1% pitch jitter, as in a real voice
            }

            double pitch = (170 + (80 * Math.Sin(2 * Math.PI * 0.7 * i / Rate))) * (1 + jitter);
            phase += 2 * Math.PI * pitch / Rate;
            double value = 0;
            for (int h = 1; h * pitch < 3800; h++)
            {
                double f = h * pitch;
                double gain = (Formant(f, vowel.F1, 90) + (0.6 * Formant(f, vowel.F2, 110)) + (0.3 * Formant(f, vowel.F3, 160))) / h;
                value += gain * Math.Sin(h * phase);
            }

            samples[i] = value;
        }

        double max = samples.Max(Math.Abs);
        double[] noise = WhiteNoise(samples.Length, peak * Math.Pow(10, -25 / 20.0) / 3, seed);
        return samples.Select((s, i) => (s / max * peak) + noise[i]).ToArray();
    }

    public static short[] ToPcm(double[] signal) =>
        signal.Select(s => (short)Math.Clamp(Math.Round(s), short.MinValue, short.MaxValue)).ToArray();

    public static double[] Add(double[] a, double[] b) => a.Zip(b, (x, y) => x + y).ToArray();

    public static double[] ToDouble(short[] pcm) => pcm.Select(s => (double)s).ToArray();

    private static double Formant(double frequency, double centre, double bandwidth) =>
        1 / (1 + Math.Pow((frequency - centre) / bandwidth, 2));
}
