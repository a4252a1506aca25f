namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>Simple measurements of PCM that tests use to tell a tone from silence.</summary>
internal static class PcmMeasure
{
    public static double Rms(ReadOnlySpan<short> samples)
    {
        if (samples.IsEmpty)
        {
            return 0;
        }

        double sum = 0;
        foreach (short s in samples)
        {
            sum += (double)s * s;
        }

        return Math.Sqrt(sum / samples.Length);
    }

    /// <summary>Frequency estimated from zero crossings over 8 kHz samples.</summary>
    public static double ZeroCrossingFrequency(ReadOnlySpan<short> samples)
    {
        int crossings = 0;
        for (int i = 1; i < samples.Length; i++)
        {
            if ((samples[i - 1] < 0) != (samples[i] < 0))
            {
                crossings++;
            }
        }

        return crossings / 2.0 / (samples.Length / 8000.0);
    }
}
