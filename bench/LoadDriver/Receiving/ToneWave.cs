using System.Buffers.Binary;

namespace Dialtone.LoadDriver.Receiving;

/// <summary>
/// The audio the media runs play: a WAV file (RIFF, PCM 16-bit mono, 8 kHz, so the daemon has nothing
/// to resample) holding a 440 Hz tone for a whole number of seconds.
/// </summary>
public static class ToneWave
{
    private const int SampleRate = 8000;
    private const int HeaderBytes = 44;

    public static byte[] Create(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, 3600);
        var samples = seconds * SampleRate;
        var data = samples * 2;
        var wav = new byte[HeaderBytes + data];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + data);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], data);
        for (var i = 0; i < samples; i++)
        {
            // A quarter of full scale: loud enough to hear in a capture, far from clipping after G.711.
            var sample = (short)(8192 * Math.Sin(2 * Math.PI * 440 * i / SampleRate));
            BinaryPrimitives.WriteInt16LittleEndian(span[(HeaderBytes + (i * 2))..], sample);
        }
        return wav;
    }
}
