using NLayer;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Push decoder for MPEG audio files (MP3): skips ID3v2 tags, finds frames by their sync word,
/// and decodes each with NLayer's frame decoder, downmixed to mono.
/// </summary>
/// <remarks>
/// Frame sync is confirmed before it is trusted: a candidate header must be followed by another
/// compatible header exactly one frame later (or by the end of the file), which stops stray
/// 0xFFE bit patterns in tags or damaged data from being decoded as audio. A Xing/Info/VBRI
/// frame (an encoder's table of contents, no audio) is skipped. A frame NLayer cannot decode is
/// dropped and decoding resumes at the next one.
/// </remarks>
internal sealed class Mp3FileDecoder : IAudioFileDecoder
{
    /// <summary>How far to look for the first frame before deciding the data is not MP3 at all.</summary>
    public const int MaxBytesBeforeFirstFrame = 128 * 1024;

    private const int Id3HeaderSize = 10;

    private readonly MpegFrame _frame = new();
    private readonly MpegFrameDecoder _decoder = new() { StereoMode = StereoMode.DownmixToMono };
    private readonly float[] _pcm = new float[1152 * 2];
    private State _state = State.Start;
    private long _skipRemaining;
    private bool _synced;
    private long _bytesBeforeFirstFrame;
    private MpegFrameHeader _streamHeader;
    private bool _haveStreamHeader;
    private bool _firstFrameChecked;

    private enum State
    {
        Start,
        SkipTag,
        Frames,
    }

    public int MinOutputSamples => 1152;

    public bool HasFormat => _haveStreamHeader;

    public int SampleRate => _streamHeader.SampleRate;

    public int Channels => 1;

    /// <summary>Frames that NLayer rejected and that were skipped.</summary>
    public int DamagedFrames { get; private set; }

    public int Decode(ReadOnlySpan<byte> input, bool endOfInput, Span<short> output, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            ReadOnlySpan<byte> rest = input[consumed..];
            switch (_state)
            {
                case State.Start:
                    if (rest.Length < Id3HeaderSize && !endOfInput)
                    {
                        return 0;
                    }

                    _state = State.Frames;
                    if (TryReadId3Size(rest, out long tagSize))
                    {
                        _skipRemaining = tagSize;
                        _state = State.SkipTag;
                    }

                    break;

                case State.SkipTag:
                    int skipped = (int)Math.Min(_skipRemaining, rest.Length);
                    consumed += skipped;
                    _skipRemaining -= skipped;
                    if (_skipRemaining > 0)
                    {
                        if (endOfInput)
                        {
                            throw new AudioFormatException("The MP3 file ends inside its ID3 tag: it holds no audio.");
                        }

                        return 0;
                    }

                    // Some files carry several ID3v2 tags back to back.
                    _state = State.Start;
                    break;

                default:
                    int written = DecodeFrames(rest, endOfInput, output, out int used);
                    consumed += used;
                    return written;
            }
        }
    }

    // ID3v2 (id3.org, ID3v2.4 §3.1): "ID3", version, flags, then a 28-bit size in four 7-bit
    // bytes, not counting the 10-byte header or the optional 10-byte footer.
    private static bool TryReadId3Size(ReadOnlySpan<byte> bytes, out long size)
    {
        size = 0;
        if (bytes.Length < Id3HeaderSize || !bytes[..3].SequenceEqual("ID3"u8)
            || ((bytes[6] | bytes[7] | bytes[8] | bytes[9]) & 0x80) != 0)
        {
            return false;
        }

        long body = (bytes[6] << 21) | (bytes[7] << 14) | (bytes[8] << 7) | bytes[9];
        bool footer = (bytes[5] & 0x10) != 0;
        size = Id3HeaderSize + body + (footer ? 10 : 0);
        return true;
    }

    private int DecodeFrames(ReadOnlySpan<byte> input, bool endOfInput, Span<short> output, out int consumed)
    {
        consumed = 0;
        while (output.Length >= MinOutputSamples)
        {
            ReadOnlySpan<byte> rest = input[consumed..];
            if (rest.Length < MpegFrameHeader.Size)
            {
                break;
            }

            if (!MpegFrameHeader.TryParse(rest, out MpegFrameHeader header)
                || (_haveStreamHeader && !header.IsCompatibleWith(_streamHeader)))
            {
                // Not a frame here: hunt for the next sync word.
                _synced = false;
                int next = rest[1..].IndexOf((byte)0xFF);
                int skip = next < 0 ? rest.Length - (rest[^1] == 0xFF ? 1 : 0) : next + 1;
                consumed += skip;
                CountSkipped(skip);
                continue;
            }

            int needed = header.FrameLength + (_synced ? 0 : MpegFrameHeader.Size);
            if (rest.Length < needed)
            {
                if (!endOfInput)
                {
                    break; // wait for the rest of the frame (and the next header)
                }

                if (rest.Length < header.FrameLength)
                {
                    consumed = input.Length; // a truncated last frame: nothing to play in it
                    break;
                }
            }
            else if (!_synced)
            {
                if (!MpegFrameHeader.TryParse(rest[header.FrameLength..], out MpegFrameHeader following)
                    || !following.IsCompatibleWith(header))
                {
                    consumed += 1; // a false sync: the bytes only looked like a header
                    CountSkipped(1);
                    continue;
                }
            }

            _synced = true;
            if (!_haveStreamHeader)
            {
                _streamHeader = header;
                _haveStreamHeader = true;
            }

            int written = DecodeFrame(header, rest[..header.FrameLength], output);
            consumed += header.FrameLength;
            output = output[written..];
            if (written > 0)
            {
                return written; // one frame per call keeps the caller's buffer small
            }
        }

        if (endOfInput && !_haveStreamHeader)
        {
            throw new AudioFormatException("No MPEG audio frame found: this is not an MP3 file.");
        }

        // At the end of the input, what is left cannot hold a frame (trailing ID3v1 "TAG" or APE
        // tags, junk): returning nothing more ends the file.
        return 0;
    }

    private void CountSkipped(int bytes)
    {
        if (_haveStreamHeader)
        {
            return;
        }

        _bytesBeforeFirstFrame += bytes;
        if (_bytesBeforeFirstFrame > MaxBytesBeforeFirstFrame)
        {
            throw new AudioFormatException($"No MPEG audio frame found in the first {MaxBytesBeforeFirstFrame / 1024} KiB: this is not an MP3 file.");
        }
    }

    private int DecodeFrame(in MpegFrameHeader header, ReadOnlySpan<byte> bytes, Span<short> output)
    {
        if (!_firstFrameChecked)
        {
            _firstFrameChecked = true;
            if (IsEncoderInfoFrame(header, bytes))
            {
                return 0;
            }
        }

        _frame.Load(header, bytes);
        int count;
        try
        {
            count = _decoder.DecodeFrame(_frame, _pcm, 0);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            // NLayer reports a damaged frame with whichever exception its tables or bit reader
            // hit (index, end of stream, argument...); a player skips the frame and goes on.
            DamagedFrames++;
            return 0;
        }

        count = Math.Min(count, output.Length);
        for (int i = 0; i < count; i++)
        {
            output[i] = LinearPcm.Saturate((int)MathF.Round(_pcm[i] * 32767f));
        }

        return count;
    }

    // LAME's "Xing"/"Info" tag after the side information, or Fraunhofer's "VBRI" at byte 36: a
    // frame of metadata that would decode as silence.
    private static bool IsEncoderInfoFrame(in MpegFrameHeader header, ReadOnlySpan<byte> frame)
    {
        if (header.Layer != MpegLayer.LayerIII)
        {
            return false;
        }

        int offset = header.SideInfoEnd;
        if (frame.Length >= offset + 4)
        {
            ReadOnlySpan<byte> tag = frame.Slice(offset, 4);
            if (tag.SequenceEqual("Xing"u8) || tag.SequenceEqual("Info"u8))
            {
                return true;
            }
        }

        return frame.Length >= 40 && frame.Slice(36, 4).SequenceEqual("VBRI"u8);
    }
}
