using System.Buffers;
using Concentus;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Converts 16-bit linear PCM at any common rate, mono or interleaved multi-channel, to 8 kHz mono
/// (the G.711 clock, RFC 3551 §4.5.14), streaming: feed it chunks with <see cref="Process"/> and end
/// the stream with <see cref="Flush"/>.
/// </summary>
/// <remarks>
/// The filter is Concentus' port of the Speex resampler (a Kaiser-windowed sinc, polyphase), at a
/// quality whose pass band reaches past 3.4 kHz (the telephone band) and whose stop band is at
/// least 80 dB down, so nothing above 4 kHz folds back into the call as aliasing. Channels are
/// averaged to mono before filtering, which costs one filter instead of one per channel.
/// The output is aligned with the input (the filter's delay is skipped at the start and drained by
/// <see cref="Flush"/>), so a stream of N input frames yields ⌈N × 8000 / rate⌉ samples in all.
/// One instance serves one stream at a time and is not thread-safe; after <see cref="Flush"/> it
/// is ready for the next stream. Neither <see cref="Process"/> nor <see cref="Flush"/> allocates.
/// </remarks>
public sealed class PcmResampler : IDisposable
{
    /// <summary>The output rate: 8,000 samples per second.</summary>
    public const int OutputRate = 8000;

    /// <summary>The lowest input rate accepted.</summary>
    public const int MinInputRate = 4000;

    /// <summary>The highest input rate accepted.</summary>
    public const int MaxInputRate = 384_000;

    /// <summary>The most interleaved channels accepted.</summary>
    public const int MaxChannels = 16;

    // Speex quality 7: a 128-tap (per output sample, before scaling by the decimation factor)
    // Kaiser-10 sinc with its cutoff at 95% of the output Nyquist frequency. Quality 5 and below
    // start rolling off under 3.4 kHz; 8 and above cost more taps for no audible gain at 8 kHz.
    private const int SpeexQuality = 7;

    // Input frames converted and filtered per step: bounds the scratch buffers.
    private const int ChunkFrames = 1024;

    private readonly IResampler? _resampler;
    private readonly float[]? _inputScratch;
    private readonly float[]? _outputScratch;
    private long _framesIn;
    private long _samplesOut;
    private bool _disposed;

    /// <summary>Creates a resampler for a stream at <paramref name="inputRate"/> Hz with <paramref name="channels"/> interleaved channels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate or the channel count is out of range.</exception>
    public PcmResampler(int inputRate, int channels = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputRate, MinInputRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(inputRate, MaxInputRate);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, MaxChannels);
        InputRate = inputRate;
        Channels = channels;
        if (inputRate != OutputRate)
        {
            _resampler = ResamplerFactory.CreateResampler(1, inputRate, OutputRate, SpeexQuality);
            _resampler.SkipZeroes();
            _inputScratch = ArrayPool<float>.Shared.Rent(ChunkFrames);
            _outputScratch = ArrayPool<float>.Shared.Rent(OutputFramesFor(ChunkFrames) + 2);
        }
    }

    /// <summary>The input sample rate in Hz.</summary>
    public int InputRate { get; }

    /// <summary>The number of interleaved input channels.</summary>
    public int Channels { get; }

    /// <summary>
    /// The most samples one <see cref="Process"/> call can write for <paramref name="inputSamples"/>
    /// interleaved input samples, and also enough for <see cref="Flush"/> after a call of that size.
    /// </summary>
    public int MaxOutputFor(int inputSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputSamples);
        return OutputFramesFor(inputSamples / Channels) + 1;
    }

    /// <summary>
    /// Resamples <paramref name="input"/> (whole interleaved frames) and writes the 8 kHz mono samples
    /// that are ready; a few are held back until later input or <see cref="Flush"/> completes their filter.
    /// </summary>
    /// <returns>The number of samples written to <paramref name="output"/>.</returns>
    /// <exception cref="ArgumentException">The input holds a partial frame, or the output is shorter than <see cref="MaxOutputFor"/>.</exception>
    /// <exception cref="ObjectDisposedException">The resampler was disposed.</exception>
    public int Process(ReadOnlySpan<short> input, Span<short> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (input.Length % Channels != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {Channels} samples.", nameof(input));
        }

        if (output.Length < MaxOutputFor(input.Length))
        {
            throw new ArgumentException("The output is shorter than MaxOutputFor(input.Length).", nameof(output));
        }

        int frames = input.Length / Channels;
        if (_resampler is null)
        {
            LinearPcm.Downmix(input, Channels, output);
            _framesIn += frames;
            _samplesOut += frames;
            return frames;
        }

        int written = 0;
        for (int offset = 0; offset < frames; offset += ChunkFrames)
        {
            int chunk = Math.Min(ChunkFrames, frames - offset);
            ToMonoFloat(input.Slice(offset * Channels, chunk * Channels), _inputScratch.AsSpan(0, chunk));
            written += Filter(chunk, output[written..]);
        }

        _framesIn += frames;
        return written;
    }

    /// <summary>
    /// Ends the stream: writes the samples still held in the filter, so that the stream's total is
    /// ⌈frames × 8000 / rate⌉, and makes the resampler ready for a new stream.
    /// </summary>
    /// <returns>The number of samples written (at most <see cref="MaxOutputFor"/> of the last input size, and never more than the filter's delay).</returns>
    /// <exception cref="ArgumentException">The output cannot hold the remaining samples.</exception>
    /// <exception cref="ObjectDisposedException">The resampler was disposed.</exception>
    public int Flush(Span<short> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_resampler is null)
        {
            _framesIn = 0;
            _samplesOut = 0;
            return 0;
        }

        int remaining = (int)(OutputFramesFor(_framesIn) - _samplesOut);
        if (output.Length < remaining)
        {
            throw new ArgumentException($"The output must hold the {remaining} samples still in the filter.", nameof(output));
        }

        int written = 0;
        Array.Clear(_inputScratch!, 0, ChunkFrames);
        // Zeros push the held-back input through the filter; the filter's delay is half its length,
        // so a bounded number of chunks always suffices.
        for (int guard = 0; written < remaining && guard < 1024; guard++)
        {
            written += Filter(ChunkFrames, output[written..remaining]);
        }

        _resampler.ResetMem();
        _resampler.SkipZeroes();
        _framesIn = 0;
        _samplesOut = 0;
        return written;
    }

    /// <summary>Resamples a whole signal to 8 kHz mono in one call.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate or the channel count is out of range.</exception>
    /// <exception cref="ArgumentException">The input holds a partial frame.</exception>
    public static short[] To8k(ReadOnlySpan<short> input, int inputRate, int channels = 1)
    {
        using var resampler = new PcmResampler(inputRate, channels);
        if (input.Length % channels != 0)
        {
            throw new ArgumentException($"The input must hold whole frames of {channels} samples.", nameof(input));
        }

        int expected = resampler.OutputFramesFor(input.Length / channels);
        var output = new short[Math.Max(expected, resampler.MaxOutputFor(input.Length))];
        int written = resampler.Process(input, output);
        written += resampler.Flush(output.AsSpan(written));
        return written == output.Length ? output : output.AsSpan(0, written).ToArray();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        (_resampler as IDisposable)?.Dispose();
        if (_inputScratch is not null)
        {
            ArrayPool<float>.Shared.Return(_inputScratch);
        }

        if (_outputScratch is not null)
        {
            ArrayPool<float>.Shared.Return(_outputScratch);
        }
    }

    private int OutputFramesFor(long inputFrames) => (int)(((inputFrames * OutputRate) + InputRate - 1) / InputRate);

    // Runs `frames` samples of _inputScratch through the filter and converts what comes out,
    // writing at most output.Length samples.
    private int Filter(int frames, Span<short> output)
    {
        int inputLength = frames;
        int outputLength = Math.Min(_outputScratch!.Length, output.Length);
        _resampler!.Process(0, _inputScratch.AsSpan(0, frames), ref inputLength, _outputScratch.AsSpan(0, outputLength), ref outputLength);
        ReadOnlySpan<float> filtered = _outputScratch.AsSpan(0, outputLength);
        for (int i = 0; i < filtered.Length; i++)
        {
            output[i] = LinearPcm.Saturate((int)MathF.Round(filtered[i]));
        }

        _samplesOut += outputLength;
        return outputLength;
    }

    private void ToMonoFloat(ReadOnlySpan<short> interleaved, Span<float> mono)
    {
        if (Channels == 1)
        {
            for (int i = 0; i < mono.Length; i++)
            {
                mono[i] = interleaved[i];
            }

            return;
        }

        float scale = 1f / Channels;
        for (int i = 0; i < mono.Length; i++)
        {
            int sum = 0;
            foreach (short sample in interleaved.Slice(i * Channels, Channels))
            {
                sum += sample;
            }

            mono[i] = sum * scale;
        }
    }
}
