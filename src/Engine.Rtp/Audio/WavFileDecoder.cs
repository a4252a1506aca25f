using System.Buffers.Binary;
using System.Text;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Push decoder for RIFF/WAVE files (Microsoft's RIFF spec; RFC 2361 lists the format tags).
/// </summary>
/// <remarks>
/// Tolerates what real files contain: chunks it does not know (LIST, fact, cue, JUNK, bext) are
/// skipped, odd-sized chunks are followed by their pad byte, a data chunk size of 0 or 0xFFFFFFFF
/// (left by streaming writers that never patched the header) or larger than the file means "up to
/// the end of the input", and anything after the data chunk is ignored. Anything else that is wrong
/// is an <see cref="AudioFormatException"/> saying what.
/// </remarks>
internal sealed class WavFileDecoder : IAudioFileDecoder
{
    private const ushort TagPcm = 0x0001;
    private const ushort TagFloat = 0x0003;
    private const ushort TagALaw = 0x0006;
    private const ushort TagMuLaw = 0x0007;
    private const ushort TagExtensible = 0xFFFE;
    private const int MaxFmtChunkSize = 4096;

    // The 14 bytes every KSDATAFORMAT_SUBTYPE_* GUID for a WAVE format tag ends with
    // (00000000-0000-0010-8000-00AA00389B71 with the tag in the first two bytes), as stored on disk.
    private static ReadOnlySpan<byte> SubFormatSuffix => [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private State _state = State.RiffHeader;
    private long _skipRemaining;
    private int _fmtSize;
    private long _dataRemaining;
    private bool _dataUnbounded;
    private ushort _formatTag;
    private int _bitsPerSample;
    private int _blockAlign;

    private enum State
    {
        RiffHeader,
        ChunkHeader,
        FmtBody,
        Skip,
        Data,
        Done,
    }

    public int MinOutputSamples => Math.Max(Channels, 1);

    public bool HasFormat { get; private set; }

    public int SampleRate { get; private set; }

    public int Channels { get; private set; }

    public int Decode(ReadOnlySpan<byte> input, bool endOfInput, Span<short> output, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            ReadOnlySpan<byte> rest = input[consumed..];
            switch (_state)
            {
                case State.RiffHeader:
                    if (rest.Length < 12)
                    {
                        if (endOfInput)
                        {
                            throw new AudioFormatException($"Not a WAV file: {rest.Length} bytes is shorter than a RIFF header.");
                        }

                        return 0;
                    }

                    ReadRiffHeader(rest);
                    consumed += 12;
                    _state = State.ChunkHeader;
                    break;

                case State.ChunkHeader:
                    if (rest.Length < 8)
                    {
                        if (endOfInput)
                        {
                            throw new AudioFormatException(HasFormat
                                ? "The WAV file has no data chunk."
                                : "The WAV file has no fmt chunk.");
                        }

                        return 0;
                    }

                    consumed += 8;
                    StartChunk(rest[..4], BinaryPrimitives.ReadUInt32LittleEndian(rest[4..]));
                    break;

                case State.FmtBody:
                    int fmtWithPad = _fmtSize + (_fmtSize & 1);
                    if (rest.Length < fmtWithPad && !(endOfInput && rest.Length >= _fmtSize))
                    {
                        if (endOfInput)
                        {
                            throw new AudioFormatException("The WAV file ends inside its fmt chunk.");
                        }

                        return 0;
                    }

                    ReadFormat(rest[.._fmtSize]);
                    consumed += Math.Min(fmtWithPad, rest.Length);
                    _state = State.ChunkHeader;
                    break;

                case State.Skip:
                    int skipped = (int)Math.Min(_skipRemaining, rest.Length);
                    consumed += skipped;
                    _skipRemaining -= skipped;
                    if (_skipRemaining > 0)
                    {
                        if (endOfInput)
                        {
                            throw new AudioFormatException(HasFormat
                                ? "The WAV file has no data chunk."
                                : "The WAV file has no fmt chunk.");
                        }

                        return 0;
                    }

                    _state = State.ChunkHeader;
                    break;

                case State.Data:
                    int written = DecodeData(rest, endOfInput, output, out int used);
                    consumed += used;
                    return written;

                default:
                    // After the data chunk: trailing chunks (LIST, id3) carry nothing to play.
                    consumed = input.Length;
                    return 0;
            }
        }
    }

    private static string Describe(ReadOnlySpan<byte> fourCc)
    {
        var text = new StringBuilder(4);
        foreach (byte b in fourCc)
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        return $"'{text}' ({Convert.ToHexString(fourCc)})";
    }

    private static void ReadRiffHeader(ReadOnlySpan<byte> header)
    {
        if (header[..4].SequenceEqual("RF64"u8))
        {
            throw new AudioFormatException("RF64 (64-bit RIFF) WAV files are not supported.");
        }

        if (!header[..4].SequenceEqual("RIFF"u8))
        {
            throw new AudioFormatException($"Not a WAV file: it starts with {Describe(header[..4])}, not 'RIFF'.");
        }

        if (!header[8..12].SequenceEqual("WAVE"u8))
        {
            throw new AudioFormatException($"Not a WAV file: the RIFF form type is {Describe(header[8..12])}, not 'WAVE'.");
        }
    }

    private void StartChunk(ReadOnlySpan<byte> id, uint size)
    {
        if (id.SequenceEqual("fmt "u8))
        {
            if (HasFormat)
            {
                throw new AudioFormatException("The WAV file has two fmt chunks.");
            }

            if (size is < 16 or > MaxFmtChunkSize)
            {
                throw new AudioFormatException($"The WAV fmt chunk is {size} bytes; expected 16 to {MaxFmtChunkSize}.");
            }

            _fmtSize = (int)size;
            _state = State.FmtBody;
            return;
        }

        if (id.SequenceEqual("data"u8))
        {
            if (!HasFormat)
            {
                throw new AudioFormatException("The WAV data chunk comes before the fmt chunk.");
            }

            // Streaming writers leave 0 or 0xFFFFFFFF until they patch the header on close; a
            // writer that crashed never does. Either way the samples run to the end of the input.
            _dataUnbounded = size is 0 or uint.MaxValue;
            _dataRemaining = size;
            _state = State.Data;
            return;
        }

        // Any other chunk (LIST, fact, cue, JUNK, bext...): skip it and its pad byte (RIFF chunks
        // are word-aligned).
        _skipRemaining = size + (long)(size & 1);
        _state = State.Skip;
    }

    private void ReadFormat(ReadOnlySpan<byte> fmt)
    {
        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);

        if (tag == TagExtensible)
        {
            // WAVE_FORMAT_EXTENSIBLE: cbSize (22), valid bits, channel mask, then the sub-format GUID
            // whose first two bytes are the real format tag.
            if (fmt.Length < 40 || BinaryPrimitives.ReadUInt16LittleEndian(fmt[16..]) < 22)
            {
                throw new AudioFormatException("The WAV file says WAVE_FORMAT_EXTENSIBLE but its fmt chunk is too short for the extension.");
            }

            ReadOnlySpan<byte> subFormat = fmt.Slice(24, 16);
            if (!subFormat[2..].SequenceEqual(SubFormatSuffix))
            {
                throw new AudioFormatException($"The WAV sub-format GUID {Convert.ToHexString(subFormat)} is not a WAVE format tag.");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(subFormat);
        }

        int expectedBits = tag switch
        {
            TagPcm when bits is 8 or 16 or 24 or 32 => bits,
            TagFloat when bits == 32 => 32,
            TagALaw or TagMuLaw when bits == 8 => 8,
            TagPcm or TagFloat or TagALaw or TagMuLaw =>
                throw new AudioFormatException($"The WAV file has {bits}-bit samples in format {Name(tag)}, which is not supported."),
            _ => throw new AudioFormatException($"The WAV format tag 0x{tag:X4} ({Name(tag)}) is not supported; use PCM, µ-law or A-law."),
        };

        if (channels is < 1 or > PcmResampler.MaxChannels)
        {
            throw new AudioFormatException($"The WAV file has {channels} channels; 1 to {PcmResampler.MaxChannels} are supported.");
        }

        if (rate is < PcmResampler.MinInputRate or > PcmResampler.MaxInputRate)
        {
            throw new AudioFormatException($"The WAV sample rate {rate} Hz is out of the supported range ({PcmResampler.MinInputRate} to {PcmResampler.MaxInputRate}).");
        }

        if (blockAlign != channels * expectedBits / 8)
        {
            throw new AudioFormatException($"The WAV block align {blockAlign} does not match {channels} channel(s) of {expectedBits}-bit samples.");
        }

        _formatTag = tag;
        _bitsPerSample = expectedBits;
        _blockAlign = blockAlign;
        SampleRate = (int)rate;
        Channels = channels;
        HasFormat = true;
    }

    private static string Name(ushort tag) => tag switch
    {
        TagPcm => "PCM",
        0x0002 => "Microsoft ADPCM",
        TagFloat => "IEEE float",
        TagALaw => "A-law",
        TagMuLaw => "µ-law",
        0x0011 => "IMA ADPCM",
        0x0031 => "GSM 6.10",
        0x0050 => "MPEG",
        0x0055 => "MPEG Layer 3",
        _ => "unknown",
    };

    private int DecodeData(ReadOnlySpan<byte> input, bool endOfInput, Span<short> output, out int consumed)
    {
        long available = _dataUnbounded ? input.Length : Math.Min(input.Length, _dataRemaining);
        int frames = (int)Math.Min(available / _blockAlign, output.Length / Channels);
        int bytes = frames * _blockAlign;
        ConvertSamples(input[..bytes], output[..(frames * Channels)]);
        consumed = bytes;
        if (!_dataUnbounded)
        {
            _dataRemaining -= bytes;
        }

        bool allRead = !_dataUnbounded && _dataRemaining < _blockAlign;
        bool inputEnds = endOfInput && input.Length - bytes < _blockAlign;
        if (allRead || inputEnds)
        {
            // The data chunk is done (a trailing partial frame, if any, is dropped).
            _state = State.Done;
            if (inputEnds)
            {
                consumed = input.Length;
            }
        }

        return frames * Channels;
    }

    private void ConvertSamples(ReadOnlySpan<byte> bytes, Span<short> samples)
    {
        switch (_formatTag)
        {
            case TagMuLaw:
                MuLaw.Decode(bytes, samples);
                return;
            case TagALaw:
                ALaw.Decode(bytes, samples);
                return;
            case TagFloat:
                for (int i = 0; i < samples.Length; i++)
                {
                    float value = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                    samples[i] = float.IsNaN(value) ? (short)0 : LinearPcm.Saturate((int)MathF.Round(value * 32768f));
                }

                return;
        }

        switch (_bitsPerSample)
        {
            case 8:
                LinearPcm.FromUnsigned8(bytes, samples);
                return;
            case 16:
                LinearPcm.ReadLittleEndian16(bytes, samples);
                return;
            default:
                // 24- and 32-bit PCM: keep the top 16 bits (little-endian, so the last two bytes).
                int width = _bitsPerSample / 8;
                for (int i = 0; i < samples.Length; i++)
                {
                    samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes[((i * width) + width - 2)..]);
                }

                return;
        }
    }
}
