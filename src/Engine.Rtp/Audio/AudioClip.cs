namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Decoded audio ready to play: 8 kHz mono 16-bit PCM, immutable, so one clip (a cached prompt,
/// a rendered phrase of speech, a downloaded file) can be played by any number of calls at once,
/// each through its own <see cref="ClipAudioSource"/> that holds only a position.
/// </summary>
public sealed class AudioClip
{
    /// <summary>The longest clip the file factories decode, unless told otherwise: one hour.</summary>
    public static readonly TimeSpan DefaultMaxDuration = TimeSpan.FromHours(1);

    private const int FeedChunk = 64 * 1024;

    private readonly short[] _samples;

    private AudioClip(short[] samples)
    {
        _samples = samples;
    }

    /// <summary>A clip with no samples.</summary>
    public static AudioClip Empty { get; } = new([]);

    /// <summary>The samples, at 8 kHz mono.</summary>
    public ReadOnlyMemory<short> Samples => _samples;

    /// <summary>The number of samples.</summary>
    public int SampleCount => _samples.Length;

    /// <summary>How long the clip plays.</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(_samples.Length * TimeSpan.TicksPerSecond / PcmResampler.OutputRate);

    /// <summary>Makes a clip of a copy of 8 kHz mono samples.</summary>
    public static AudioClip FromSamples(ReadOnlySpan<short> pcm8kMono) => new(pcm8kMono.ToArray());

    /// <summary>Makes a clip from 16-bit PCM at another rate or with more channels (speech from a TTS engine, for one), resampling it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate or the channel count is out of range.</exception>
    /// <exception cref="ArgumentException">The input holds a partial frame.</exception>
    public static AudioClip FromPcm(ReadOnlySpan<short> pcm, int sampleRate, int channels = 1) =>
        new(PcmResampler.To8k(pcm, sampleRate, channels));

    /// <summary>Decodes a WAV file.</summary>
    /// <exception cref="AudioFormatException">Not a playable WAV file, or longer than <paramref name="maxDuration"/>.</exception>
    public static AudioClip FromWav(ReadOnlySpan<byte> file, TimeSpan? maxDuration = null) =>
        Decode(file, AudioFileFormat.Wav, maxDuration);

    /// <summary>Decodes an MP3 file.</summary>
    /// <exception cref="AudioFormatException">Not a playable MP3 file, or longer than <paramref name="maxDuration"/>.</exception>
    public static AudioClip FromMp3(ReadOnlySpan<byte> file, TimeSpan? maxDuration = null) =>
        Decode(file, AudioFileFormat.Mp3, maxDuration);

    /// <summary>Decodes a WAV or MP3 file (<paramref name="format"/> <see cref="AudioFileFormat.Detect"/> recognises which from its first bytes).</summary>
    /// <exception cref="AudioFormatException">Not a playable file, or longer than <paramref name="maxDuration"/>.</exception>
    public static AudioClip Decode(ReadOnlySpan<byte> file, AudioFileFormat format = AudioFileFormat.Detect, TimeSpan? maxDuration = null)
    {
        long maxSamples = MaxSamples(maxDuration);
        using var decoder = new Pcm8kDecoder(format);
        var samples = new List<short>(capacity: (int)Math.Min(file.Length, 1 << 20));
        int offset = 0;
        while (true)
        {
            ReadOnlySpan<short> piece = decoder.DecodeNext();
            if (piece.IsEmpty)
            {
                if (decoder.IsFinished)
                {
                    break;
                }

                if (offset < file.Length)
                {
                    int chunk = Math.Min(FeedChunk, file.Length - offset);
                    decoder.Append(file.Slice(offset, chunk));
                    offset += chunk;
                }
                else
                {
                    decoder.EndOfInput();
                }

                continue;
            }

            if (samples.Count + (long)piece.Length > maxSamples)
            {
                throw new AudioFormatException($"The audio is longer than the {TimeSpan.FromSeconds(maxSamples / (double)PcmResampler.OutputRate)} allowed.");
            }

            samples.AddRange(piece);
        }

        return new AudioClip(samples.ToArray());
    }

    /// <summary>Starts a playback of this clip, played <paramref name="loops"/> times (see <see cref="LoopedAudioSource"/>; 0 means "forever", bounded).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="loops"/> is negative.</exception>
    public IAudioSource CreateSource(int loops = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(loops);
        var source = new ClipAudioSource(this);
        return loops == 1 ? source : new LoopedAudioSource(source, loops);
    }

    internal static long MaxSamples(TimeSpan? maxDuration)
    {
        TimeSpan limit = maxDuration ?? DefaultMaxDuration;
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero, nameof(maxDuration));
        return (long)(limit.TotalSeconds * PcmResampler.OutputRate);
    }
}
