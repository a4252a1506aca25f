using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Linear PCM helpers: 16-bit little-endian bytes (WAV's byte order, RFC 2361 / the RIFF spec),
/// 8-bit unsigned samples, channel downmix and saturating mix. None of them allocates.
/// </summary>
public static class LinearPcm
{
    /// <summary>Reads 16-bit little-endian samples: <paramref name="bytes"/>.Length / 2 of them.</summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is too short.</exception>
    public static void ReadLittleEndian16(ReadOnlySpan<byte> bytes, Span<short> samples)
    {
        int count = bytes.Length / 2;
        if (samples.Length < count)
        {
            throw new ArgumentException("The destination must hold one sample per two bytes.", nameof(samples));
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, short>(bytes[..(count * 2)]).CopyTo(samples);
            return;
        }

        for (int i = 0; i < count; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[(i * 2)..]);
        }
    }

    /// <summary>Writes 16-bit little-endian samples: two bytes per sample.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is too short.</exception>
    public static void WriteLittleEndian16(ReadOnlySpan<short> samples, Span<byte> bytes)
    {
        if (bytes.Length < samples.Length * 2)
        {
            throw new ArgumentException("The destination must hold two bytes per sample.", nameof(bytes));
        }

        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(samples).CopyTo(bytes);
            return;
        }

        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes[(i * 2)..], samples[i]);
        }
    }

    /// <summary>
    /// Converts 8-bit unsigned samples (WAV's 8-bit PCM: 128 is silence) to 16-bit signed ones.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is too short.</exception>
    public static void FromUnsigned8(ReadOnlySpan<byte> bytes, Span<short> samples)
    {
        if (samples.Length < bytes.Length)
        {
            throw new ArgumentException("The destination must hold one sample per byte.", nameof(samples));
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            samples[i] = (short)((bytes[i] - 128) << 8);
        }
    }

    /// <summary>Averages interleaved left/right pairs into mono: <paramref name="stereo"/>.Length / 2 samples.</summary>
    /// <exception cref="ArgumentException"><paramref name="mono"/> is too short.</exception>
    public static void DownmixStereo(ReadOnlySpan<short> stereo, Span<short> mono) => Downmix(stereo, 2, mono);

    /// <summary>
    /// Averages each frame of <paramref name="channels"/> interleaved samples into one mono sample
    /// (<paramref name="interleaved"/>.Length / channels of them; a trailing partial frame is ignored).
    /// Averaging cannot overflow, so no clipping is needed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="mono"/> is too short.</exception>
    public static void Downmix(ReadOnlySpan<short> interleaved, int channels, Span<short> mono)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        int frames = interleaved.Length / channels;
        if (mono.Length < frames)
        {
            throw new ArgumentException("The destination must hold one sample per frame.", nameof(mono));
        }

        switch (channels)
        {
            case 1:
                interleaved[..frames].CopyTo(mono);
                return;
            case 2:
                for (int i = 0; i < frames; i++)
                {
                    mono[i] = (short)((interleaved[2 * i] + interleaved[(2 * i) + 1]) >> 1);
                }

                return;
            default:
                for (int i = 0; i < frames; i++)
                {
                    int sum = 0;
                    ReadOnlySpan<short> frame = interleaved.Slice(i * channels, channels);
                    foreach (short sample in frame)
                    {
                        sum += sample;
                    }

                    mono[i] = (short)(sum / channels);
                }

                return;
        }
    }

    /// <summary>
    /// Adds two signals sample by sample, saturating at the 16-bit limits (a mix must clip, not wrap
    /// around, or loud passages turn into full-scale noise).
    /// </summary>
    /// <exception cref="ArgumentException">The inputs differ in length or <paramref name="mixed"/> is too short.</exception>
    public static void MixSaturating(ReadOnlySpan<short> first, ReadOnlySpan<short> second, Span<short> mixed)
    {
        if (first.Length != second.Length)
        {
            throw new ArgumentException("Both signals must have the same length.", nameof(second));
        }

        if (mixed.Length < first.Length)
        {
            throw new ArgumentException("The destination must be as long as the inputs.", nameof(mixed));
        }

        for (int i = 0; i < first.Length; i++)
        {
            mixed[i] = Saturate(first[i] + second[i]);
        }
    }

    /// <summary>Interleaves two mono signals into frames of (left, right).</summary>
    /// <exception cref="ArgumentException">The inputs differ in length or <paramref name="stereo"/> is too short.</exception>
    public static void Interleave(ReadOnlySpan<short> left, ReadOnlySpan<short> right, Span<short> stereo)
    {
        if (left.Length != right.Length)
        {
            throw new ArgumentException("Both channels must have the same length.", nameof(right));
        }

        if (stereo.Length < left.Length * 2)
        {
            throw new ArgumentException("The destination must hold two samples per frame.", nameof(stereo));
        }

        for (int i = 0; i < left.Length; i++)
        {
            stereo[2 * i] = left[i];
            stereo[(2 * i) + 1] = right[i];
        }
    }

    /// <summary>Clamps a sum to the 16-bit sample range.</summary>
    public static short Saturate(int value) => (short)Math.Clamp(value, short.MinValue, short.MaxValue);
}
