using NLayer;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// One MPEG audio frame held in a reusable buffer, presented to NLayer's frame decoder, which
/// reads it bit by bit. Lets the MP3 decoder push frames as they arrive instead of handing NLayer
/// a blocking stream.
/// </summary>
internal sealed class MpegFrame : IMpegFrame
{
    // The longest possible frame: MPEG-2.5 layer II at 160 kbit/s and 8 kHz, 144 × 160000 / 8000
    // bytes plus a padding byte. (Layer III never exceeds 1,441 bytes, layer I 676.)
    public const int MaxLength = 2881;

    private readonly byte[] _bytes = new byte[MaxLength];
    private MpegFrameHeader _header;
    private int _readOffset;
    private int _bitCount;
    private ulong _bitBucket;

    public int SampleRate => _header.SampleRate;

    public int SampleRateIndex => _header.SampleRateIndex;

    public int FrameLength => _header.FrameLength;

    public int BitRate => _header.BitRate;

    public MpegVersion Version => _header.Version;

    public MpegLayer Layer => _header.Layer;

    public MpegChannelMode ChannelMode => _header.ChannelMode;

    public int ChannelModeExtension => _header.ChannelModeExtension;

    public int SampleCount => _header.SampleCount;

    public int BitRateIndex => _header.BitRateIndex;

    public bool IsCopyrighted => _header.IsCopyrighted;

    public bool HasCrc => _header.HasCrc;

    // The CRC is not checked: a damaged frame is caught by the decoder or heard as a glitch,
    // as in any player.
    public bool IsCorrupted => false;

    /// <summary>Copies a whole frame (header included) into the buffer.</summary>
    public void Load(in MpegFrameHeader header, ReadOnlySpan<byte> frame)
    {
        _header = header;
        frame[..header.FrameLength].CopyTo(_bytes);
        Reset();
    }

    public void Reset()
    {
        // The bit reader starts after the header and the optional CRC word.
        _readOffset = MpegFrameHeader.Size + (_header.HasCrc ? 2 : 0);
        _bitCount = 0;
        _bitBucket = 0;
    }

    public int ReadBits(int bitCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitCount, 32);
        while (_bitCount < bitCount)
        {
            if (_readOffset >= _header.FrameLength)
            {
                throw new EndOfStreamException("The MPEG frame ended before its data did.");
            }

            _bitBucket = (_bitBucket << 8) | _bytes[_readOffset++];
            _bitCount += 8;
        }

        _bitCount -= bitCount;
        return (int)((_bitBucket >> _bitCount) & ((1UL << bitCount) - 1));
    }
}
