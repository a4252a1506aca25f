namespace Dialtone.Engine.Rtp.Tests.Audio;

/// <summary>Test signals and measurements: sines, tone amplitude by DFT bin, RMS, decibels.</summary>
internal static class Signal
{
    public static short[] Sine(double frequency, int rate, int frames, double amplitude, int channels = 1)
    {
        var samples = new short[frames * channels];
        for (int i = 0; i < frames; i++)
        {
            short value = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / rate));
            for (int c = 0; c < channels; c++)
            {
                samples[(i * channels) + c] = value;
            }
        }

        return samples;
    }

    /// <summary>The amplitude of the component at <paramref name="frequency"/> (a single DFT bin, Goertzel-style).</summary>
    public static double ToneAmplitude(ReadOnlySpan<short> samples, double frequency, int rate)
    {
        double re = 0, im = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            double phase = 2 * Math.PI * frequency * i / rate;
            re += samples[i] * Math.Cos(phase);
            im -= samples[i] * Math.Sin(phase);
        }

        return 2 * Math.Sqrt((re * re) + (im * im)) / samples.Length;
    }

    public static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (short s in samples)
        {
            sum += (double)s * s;
        }

        return samples.Length == 0 ? 0 : Math.Sqrt(sum / samples.Length);
    }

    public static double Db(double ratio) => 20 * Math.Log10(ratio);

    /// <summary>The frequency (1 Hz resolution over a range) with the largest DFT amplitude.</summary>
    public static double DominantFrequency(ReadOnlySpan<short> samples, int rate, int from = 100, int to = 3900)
    {
        double best = 0, bestFrequency = 0;
        for (int f = from; f <= to; f += 10)
        {
            double a = ToneAmplitude(samples, f, rate);
            if (a > best)
            {
                best = a;
                bestFrequency = f;
            }
        }

        for (double f = bestFrequency - 10; f <= bestFrequency + 10; f += 1)
        {
            double a = ToneAmplitude(samples, f, rate);
            if (a > best)
            {
                best = a;
                bestFrequency = f;
            }
        }

        return bestFrequency;
    }
}
