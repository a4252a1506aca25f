using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// G.711 µ-law (PCMU, RFC 3551 §4.5.14): 16-bit linear PCM to 8-bit codes and back, by table.
/// </summary>
/// <remarks>
/// The results are those of ITU-T G.711 as implemented by the ITU's reference software (G.191
/// <c>ulaw_compress</c>/<c>ulaw_expand</c>): µ-law quantizes 14 bits, so a 16-bit sample is first
/// shifted right by 2, and a negative sample's magnitude is its one's complement. Because the code
/// depends only on <c>sample &gt;&gt; 2</c>, the encode table has 16,384 entries (16 KiB) instead of
/// 65,536, and stays in L1 cache.
/// </remarks>
public static class MuLaw
{
    /// <summary>The code of a zero sample (positive zero): what a silent PCMU frame is filled with.</summary>
    public const byte Silence = 0xFF;

    /// <summary>The largest magnitude a µ-law code decodes to (G.711: 8,031 in 14-bit units, times 4).</summary>
    public const short MaxDecodedMagnitude = 32124;

    // Indexed by (sample >> 2) & 0x3FFF: the 14-bit two's-complement value as an unsigned index.
    private static readonly byte[] EncodeTable = BuildEncodeTable();
    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>Encodes one sample.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte Encode(short sample) =>
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(EncodeTable), (sample >> 2) & 0x3FFF);

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
            Unsafe.Add(ref destination, i) = Unsafe.Add(ref table, (Unsafe.Add(ref source, i) >> 2) & 0x3FFF);
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

    // G.711 Table 2a, computed: a 14-bit magnitude is biased by 33 so that the 8 segments start at
    // powers of two (33..8191); the segment is the position of the top bit, the 4-bit step is the
    // next bits, and the whole code is inverted (G.711 §3: "µ-law: all bits inverted").
    private static byte EncodeFourteenBit(int value)
    {
        int magnitude = value < 0 ? ~value : value;
        int biased = Math.Min(magnitude + 33, 0x1FFF);
        int segment = 31 - int.LeadingZeroCount(biased) - 5; // 0..7
        int step = (biased >> (segment + 1)) & 0x0F;
        int code = (segment << 4) | step;
        if (value >= 0)
        {
            code |= 0x80;
        }

        return (byte)(code ^ 0x7F);
    }

    private static short DecodeCode(byte code)
    {
        int inverted = ~code;
        int segment = (inverted >> 4) & 0x07;
        int step = inverted & 0x0F;
        // The reconstruction value sits in the middle of the quantization interval; in 16-bit units
        // the interval is 8 << segment wide and the bias of 33 (14-bit) is 132.
        int magnitude = ((step << 1) + 33 << (segment + 2)) - 132;
        return (short)((code & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[1 << 14];
        for (int index = 0; index < table.Length; index++)
        {
            int fourteenBit = index >= 1 << 13 ? index - (1 << 14) : index;
            table[index] = EncodeFourteenBit(fourteenBit);
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
