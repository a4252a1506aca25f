using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// G.711 A-law (PCMA, RFC 3551 §4.5.14): 16-bit linear PCM to 8-bit codes and back, by table.
/// </summary>
/// <remarks>
/// The results are those of ITU-T G.711 as implemented by the ITU's reference software (G.191
/// <c>alaw_compress</c>/<c>alaw_expand</c>): A-law quantizes 13 bits, its smallest step is two
/// 13-bit units, and a negative sample's magnitude is its one's complement; so the code depends only
/// on <c>sample &gt;&gt; 4</c> and the encode table has 4,096 entries.
/// </remarks>
public static class ALaw
{
    /// <summary>The code of a zero sample (the smallest positive step): what a silent PCMA frame is filled with.</summary>
    public const byte Silence = 0xD5;

    /// <summary>The largest magnitude an A-law code decodes to (G.711: 4,032 in 13-bit units, times 8).</summary>
    public const short MaxDecodedMagnitude = 32256;

    // Indexed by (sample >> 4) & 0x0FFF: the 12-bit two's-complement value as an unsigned index.
    private static readonly byte[] EncodeTable = BuildEncodeTable();
    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>Encodes one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Encode(short sample) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(EncodeTable), (sample >> 4) & 0x0FFF);

    /// <summary>Decodes one code.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static short Decode(byte code) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(DecodeTable), code);

    /// <summary>Encodes every sample of <paramref name="samples"/> into <paramref name="codes"/> (one byte each).</summary>
    /// <exception cref="ArgumentException"><paramref name="codes"/> is shorter than <paramref name="samples"/>.</exception>
    public static void Encode(ReadOnlySpan<short> samples, Span<byte> codes)
    {
        if (codes.Length < samples.Length)
        {
            throw new ArgumentException("The destination must hold one byte per sample.", nameof(codes));
        }

        ref byte table = ref MemoryMarshal.GetArrayDataReference(EncodeTable);
        ref short source = ref MemoryMarshal.GetReference(samples);
        ref byte destination = ref MemoryMarshal.GetReference(codes);
        for (int i = 0; i < samples.Length; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref table, (Unsafe.Add(ref source, i) >> 4) & 0x0FFF);
        }
    }

    /// <summary>Decodes every code of <paramref name="codes"/> into <paramref name="samples"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="samples"/> is shorter than <paramref name="codes"/>.</exception>
    public static void Decode(ReadOnlySpan<byte> codes, Span<short> samples)
    {
        if (samples.Length < codes.Length)
        {
            throw new ArgumentException("The destination must hold one sample per code.", nameof(samples));
        }

        ref short table = ref MemoryMarshal.GetArrayDataReference(DecodeTable);
        ref byte source = ref MemoryMarshal.GetReference(codes);
        ref short destination = ref MemoryMarshal.GetReference(samples);
        for (int i = 0; i < codes.Length; i++)
        {
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref table, Unsafe.Add(ref source, i));
        }
    }

    // G.711 Table 1a, computed: the first two 16-step segments share one step size (the linear
    // part of A-law), every later segment doubles it; even bits are inverted on the line
    // (G.711 §2: "A-law: even bits inverted", the 0x55 mask).
    private static byte EncodeTwelveBit(int value)
    {
        int magnitude = value < 0 ? ~value : value; // 0..2047
        int code;
        if (magnitude < 32)
        {
            code = magnitude; // segments 0 and 1: code = magnitude
        }
        else
        {
            int segment = 31 - int.LeadingZeroCount(magnitude) - 3; // 2..7
            code = (segment << 4) | ((magnitude >> (segment - 1)) & 0x0F);
        }

        if (value >= 0)
        {
            code |= 0x80;
        }

        return (byte)(code ^ 0x55);
    }

    private static short DecodeCode(byte code)
    {
        int plain = (code ^ 0x55) & 0x7F;
        int segment = plain >> 4;
        int step = plain & 0x0F;
        // The reconstruction value is the middle of the interval: (2 * step + 1) half-steps, plus
        // the segment's base for segments above the linear part. In 16-bit units.
        int magnitude = segment == 0
            ? (step << 4) + 8
            : ((step + 16) << 4) + 8 << (segment - 1);
        return (short)((code & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[1 << 12];
        for (int index = 0; index < table.Length; index++)
        {
            int twelveBit = index >= 1 << 11 ? index - (1 << 12) : index;
            table[index] = EncodeTwelveBit(twelveBit);
        }

        return table;
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (int code = 0; code < table.Length; code++)
        {
            table[code] = DecodeCode((byte)code);
        }

        return table;
    }
}
