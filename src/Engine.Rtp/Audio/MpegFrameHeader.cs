using NLayer;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// The 32-bit header that starts every MPEG audio frame (ISO/IEC 11172-3 §2.4.2.3, extended to
/// lower rates by ISO/IEC 13818-3 and the unofficial MPEG 2.5): enough to find the frame's length.
/// </summary>
internal readonly struct MpegFrameHeader
{
    public const int Size = 4;

    // kbit/s by [row][bitrate_index]; rows: MPEG-1 layer I, II, III; MPEG-2/2.5 layer I; layer II and III.
    private static readonly short[][] BitRates =
    [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    ];

    private static readonly int[] MpegOneRates = [44100, 48000, 32000];

    private MpegFrameHeader(MpegVersion version, MpegLayer layer, int bitRateIndex, int sampleRateIndex, bool padding, bool hasCrc, int channelModeBits, int modeExtension, bool copyrighted)
    {
        Version = version;
        Layer = layer;
        BitRateIndex = bitRateIndex;
        SampleRateIndex = sampleRateIndex;
        HasCrc = hasCrc;
        ChannelMode = (MpegChannelMode)channelModeBits;
        ChannelModeExtension = modeExtension;
        IsCopyrighted = copyrighted;

        int row = version == MpegVersion.Version1 ? (int)layer - 1 : layer == MpegLayer.LayerI ? 3 : 4;
        BitRate = BitRates[row][bitRateIndex] * 1000;
        SampleRate = MpegOneRates[sampleRateIndex] >> (version == MpegVersion.Version1 ? 0 : version == MpegVersion.Version2 ? 1 : 2);
        SampleCount = layer == MpegLayer.LayerI ? 384 : layer == MpegLayer.LayerIII && version != MpegVersion.Version1 ? 576 : 1152;
        int paddingBytes = padding ? 1 : 0;
        // §2.4.3.1: a layer I frame is counted in 4-byte slots; the others in bytes.
        FrameLength = layer == MpegLayer.LayerI
            ? ((12 * BitRate / SampleRate) + paddingBytes) * 4
            : (SampleCount / 8 * BitRate / SampleRate) + paddingBytes;
    }

    public MpegVersion Version { get; }

    public MpegLayer Layer { get; }

    public int BitRateIndex { get; }

    public int SampleRateIndex { get; }

    public int BitRate { get; }

    public int SampleRate { get; }

    public int SampleCount { get; }

    public int FrameLength { get; }

    public bool HasCrc { get; }

    public MpegChannelMode ChannelMode { get; }

    public int ChannelModeExtension { get; }

    public bool IsCopyrighted { get; }

    /// <summary>The offset of a Xing/Info tag in a layer III frame: after the header, CRC and side information.</summary>
    public int SideInfoEnd => Size + (HasCrc ? 2 : 0) + (Version == MpegVersion.Version1
        ? (ChannelMode == MpegChannelMode.Mono ? 17 : 32)
        : (ChannelMode == MpegChannelMode.Mono ? 9 : 17));

    /// <summary>True when two frames can belong to one stream (same version, layer and rate).</summary>
    public bool IsCompatibleWith(in MpegFrameHeader other) =>
        Version == other.Version && Layer == other.Layer && SampleRateIndex == other.SampleRateIndex;

    /// <summary>Parses a header; false when the bytes are not a usable frame header.</summary>
    public static bool TryParse(ReadOnlySpan<byte> bytes, out MpegFrameHeader header)
    {
        header = default;
        if (bytes.Length < Size || bytes[0] != 0xFF || (bytes[1] & 0xE0) != 0xE0)
        {
            return false; // no 11-bit frame sync
        }

        int versionBits = (bytes[1] >> 3) & 0x03;
        int layerBits = (bytes[1] >> 1) & 0x03;
        int bitRateIndex = bytes[2] >> 4;
        int sampleRateIndex = (bytes[2] >> 2) & 0x03;
        int emphasis = bytes[3] & 0x03;
        // Reserved values, and bitrate index 0 ("free format", whose frame length cannot be
        // known from the header) are rejected: treating them as frames would lose sync.
        if (versionBits == 1 || layerBits == 0 || bitRateIndex is 0 or 15 || sampleRateIndex == 3 || emphasis == 2)
        {
            return false;
        }

        MpegVersion version = versionBits switch
        {
            3 => MpegVersion.Version1,
            2 => MpegVersion.Version2,
            _ => MpegVersion.Version25,
        };
        var layer = (MpegLayer)(4 - layerBits);
        header = new MpegFrameHeader(
            version,
            layer,
            bitRateIndex,
            sampleRateIndex,
            padding: ((bytes[2] >> 1) & 0x01) != 0,
            hasCrc: (bytes[1] & 0x01) == 0,
            channelModeBits: bytes[3] >> 6,
            modeExtension: (bytes[3] >> 4) & 0x03,
            copyrighted: ((bytes[3] >> 3) & 0x01) != 0);
        return true;
    }
}
