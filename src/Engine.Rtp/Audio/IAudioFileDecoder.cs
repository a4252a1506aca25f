namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// A push decoder for one container format: fed bytes as they arrive, it turns whole units
/// (WAV sample frames, MPEG frames) into interleaved 16-bit PCM at the file's own rate.
/// </summary>
internal interface IAudioFileDecoder
{
    /// <summary>The smallest output buffer <see cref="Decode"/> needs to make progress, in samples.</summary>
    int MinOutputSamples { get; }

    /// <summary>True once the rate and channel count are known (after the header).</summary>
    bool HasFormat { get; }

    /// <summary>The file's sample rate in Hz; valid once <see cref="HasFormat"/> is true.</summary>
    int SampleRate { get; }

    /// <summary>The number of interleaved channels <see cref="Decode"/> writes; valid once <see cref="HasFormat"/> is true.</summary>
    int Channels { get; }

    /// <summary>
    /// Decodes as much of <paramref name="input"/> as forms whole units and fits in <paramref name="output"/>.
    /// Returns the number of samples written; <paramref name="consumed"/> is the number of input bytes
    /// used up. Both 0 means more input is needed (or, at the end of input, that the file is done).
    /// </summary>
    /// <exception cref="AudioFormatException">The data is not of this format or is damaged beyond recovery.</exception>
    int Decode(ReadOnlySpan<byte> input, bool endOfInput, Span<short> output, out int consumed);
}
