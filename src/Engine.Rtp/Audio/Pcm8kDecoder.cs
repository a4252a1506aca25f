namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Turns the bytes of a WAV or MP3 file, pushed in chunks of any size, into 8 kHz mono PCM:
/// recognises the format, decodes it and resamples it. Used once per file to build an
/// <see cref="AudioClip"/>, or continuously by <see cref="StreamingAudioSource"/> as a download
/// arrives. Runs off the media thread; not thread-safe.
/// </summary>
internal sealed class Pcm8kDecoder : IDisposable
{
    private const int DecodeBufferSamples = 4608; // two stereo layer III frames, or 4,608 WAV samples
    private const int SniffLength = 12;

    private readonly AudioFileFormat _format;
    private readonly short[] _decoded = new short[DecodeBufferSamples];
    private byte[] _pending = new byte[16 * 1024];
    private int _pendingStart;
    private int _pendingEnd;
    private IAudioFileDecoder? _decoder;
    private PcmResampler? _resampler;
    private short[] _output = [];
    private bool _endOfInput;
    private bool _flushed;

    public Pcm8kDecoder(AudioFileFormat format = AudioFileFormat.Detect)
    {
        _format = format;
    }

    /// <summary>The format found (or given); <see cref="AudioFileFormat.Detect"/> until enough bytes arrived.</summary>
    public AudioFileFormat Format { get; private set; }

    /// <summary>The file's own sample rate, once known (0 before).</summary>
    public int SourceRate => _decoder is { HasFormat: true } ? _decoder.SampleRate : 0;

    /// <summary>True once the end of input was signalled and every sample has been returned.</summary>
    public bool IsFinished => _flushed;

    /// <summary>Adds input bytes. They are decoded by the following <see cref="DecodeNext"/> calls.</summary>
    /// <exception cref="InvalidOperationException">The end of input was already signalled.</exception>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_endOfInput)
        {
            throw new InvalidOperationException("The end of the input was already signalled.");
        }

        int free = _pending.Length - _pendingEnd;
        if (bytes.Length > free)
        {
            int unread = _pendingEnd - _pendingStart;
            if (unread + bytes.Length > _pending.Length)
            {
                var larger = new byte[Math.Max(_pending.Length * 2, unread + bytes.Length)];
                _pending.AsSpan(_pendingStart, unread).CopyTo(larger);
                _pending = larger;
            }
            else
            {
                _pending.AsSpan(_pendingStart, unread).CopyTo(_pending);
            }

            _pendingStart = 0;
            _pendingEnd = unread;
        }

        bytes.CopyTo(_pending.AsSpan(_pendingEnd));
        _pendingEnd += bytes.Length;
    }

    /// <summary>Signals that no more bytes will come; the following <see cref="DecodeNext"/> calls drain the rest.</summary>
    public void EndOfInput() => _endOfInput = true;

    /// <summary>
    /// Decodes the next piece of audio from the bytes appended so far. Returns an empty span when it
    /// needs more input, or, after <see cref="EndOfInput"/>, when the file is done. The span is valid
    /// until the next call.
    /// </summary>
    /// <exception cref="AudioFormatException">The bytes are not a playable WAV or MP3 file.</exception>
    public ReadOnlySpan<short> DecodeNext()
    {
        while (!_flushed)
        {
            ReadOnlySpan<byte> pending = _pending.AsSpan(_pendingStart, _pendingEnd - _pendingStart);
            if (_decoder is null)
            {
                if (pending.Length < SniffLength && !_endOfInput)
                {
                    return [];
                }

                _decoder = CreateDecoder(pending);
            }

            int samples = _decoder.Decode(pending, _endOfInput, _decoded, out int consumed);
            _pendingStart += consumed;
            if (samples > 0)
            {
                ReadOnlySpan<short> resampled = Resample(_decoded.AsSpan(0, samples));
                if (!resampled.IsEmpty)
                {
                    return resampled;
                }

                continue;
            }

            if (consumed > 0)
            {
                continue;
            }

            if (!_endOfInput)
            {
                return [];
            }

            _flushed = true;
            if (_resampler is not null)
            {
                int flushed = _resampler.Flush(_output);
                return _output.AsSpan(0, flushed);
            }
        }

        return [];
    }

    public void Dispose() => _resampler?.Dispose();

    /// <summary>Recognises WAV or MP3 from the first bytes.</summary>
    public static AudioFileFormat Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4 && (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8)))
        {
            return AudioFileFormat.Wav;
        }

        if ((head.Length >= 3 && head[..3].SequenceEqual("ID3"u8)) || MpegFrameHeader.TryParse(head, out _))
        {
            return AudioFileFormat.Mp3;
        }

        return AudioFileFormat.Detect;
    }

    private IAudioFileDecoder CreateDecoder(ReadOnlySpan<byte> head)
    {
        Format = _format != AudioFileFormat.Detect ? _format : Detect(head);
        return Format switch
        {
            AudioFileFormat.Wav => new WavFileDecoder(),
            AudioFileFormat.Mp3 => new Mp3FileDecoder(),
            _ when head.IsEmpty => throw new AudioFormatException("The audio file is empty."),
            _ => throw new AudioFormatException(
                $"Not a WAV or MP3 file: it starts with {Convert.ToHexString(head[..Math.Min(8, head.Length)])} ('{Printable(head[..Math.Min(8, head.Length)])}')."),
        };
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        Span<char> text = stackalloc char[bytes.Length];
        for (int i = 0; i < bytes.Length; i++)
        {
            text[i] = bytes[i] is >= 0x20 and < 0x7F ? (char)bytes[i] : '.';
        }

        return new string(text);
    }

    private ReadOnlySpan<short> Resample(ReadOnlySpan<short> decoded)
    {
        if (_resampler is null)
        {
            _resampler = new PcmResampler(_decoder!.SampleRate, _decoder.Channels);
            _output = new short[Math.Max(_resampler.MaxOutputFor(DecodeBufferSamples), 4096)];
        }

        int written = _resampler.Process(decoded, _output);
        return _output.AsSpan(0, written);
    }
}
