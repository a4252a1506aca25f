namespace Dialtone.EndToEnd.Tests.Support;

/// <summary>Reads a 16-bit PCM WAV file and measures how much of it is not silence.</summary>
public static class WavProbe
{
    /// <summary>Seconds of 20 ms frames whose mean amplitude is above -40 dBFS.</summary>
    public static double LoudSeconds(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        int data = IndexOfChunk(file, "data"u8) + 8;
        int rate = BitConverter.ToInt32(file, 24);
        int channels = BitConverter.ToInt16(file, 22);
        int frame = rate / 50 * channels;
        int loudFrames = 0;
        for (int offset = data; offset + (frame * 2) <= file.Length; offset += frame * 2)
        {
            long sum = 0;
            for (int i = 0; i < frame; i++)
                sum += Math.Abs((int)BitConverter.ToInt16(file, offset + (i * 2)));
            if (sum / frame > 330)
                loudFrames++;
        }
        return loudFrames / 50.0;
    }

    /// <summary>
    /// How long a tone is heard (seconds of loud 20 ms frames) and its frequency: the strongest
    /// 5 Hz bin between <paramref name="lowHz"/> and <paramref name="highHz"/> over the loud frames.
    /// </summary>
    public static (double Seconds, double Frequency) DominantTone(string path, int lowHz, int highHz)
    {
        byte[] file = File.ReadAllBytes(path);
        int data = IndexOfChunk(file, "data"u8) + 8;
        int rate = BitConverter.ToInt32(file, 24);
        int channels = BitConverter.ToInt16(file, 22);
        var loud = new List<double>();
        int frame = rate / 50;
        var current = new double[frame];
        int loudFrames = 0;
        for (int offset = data; offset + (frame * channels * 2) <= file.Length; offset += frame * channels * 2)
        {
            long sum = 0;
            for (int i = 0; i < frame; i++)
            {
                current[i] = BitConverter.ToInt16(file, offset + (i * channels * 2));
                sum += (long)Math.Abs(current[i]);
            }
            if (sum / frame > 330)
            {
                loudFrames++;
                if (loud.Count < rate)
                    loud.AddRange(current);
            }
        }
        double best = 0, bestFrequency = 0;
        for (double f = lowHz; f <= highHz; f += 5)
        {
            // Goertzel power at f over the first second of loud audio.
            double coefficient = 2 * Math.Cos(2 * Math.PI * f / rate), s1 = 0, s2 = 0;
            foreach (double x in loud)
            {
                double s0 = x + (coefficient * s1) - s2;
                s2 = s1;
                s1 = s0;
            }
            double power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
            if (power > best)
            {
                best = power;
                bestFrequency = f;
            }
        }
        return (loudFrames / 50.0, bestFrequency);
    }

    private static int IndexOfChunk(byte[] file, ReadOnlySpan<byte> id)
    {
        int at = file.AsSpan(12).IndexOf(id);
        if (at < 0)
            throw new InvalidDataException("no data chunk");
        return at + 12;
    }
}
