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

    private static int IndexOfChunk(byte[] file, ReadOnlySpan<byte> id)
    {
        int at = file.AsSpan(12).IndexOf(id);
        if (at < 0)
            throw new InvalidDataException("no data chunk");
        return at + 12;
    }
}
