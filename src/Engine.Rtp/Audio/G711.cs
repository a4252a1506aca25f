using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dialtone.Engine.Rtp.Audio;

/// <summary>
/// Direct G.711 µ-law ↔ A-law transcoding, for bridging a PCMU leg to a PCMA leg without going
/// through linear PCM per sample.
/// </summary>
/// <remarks>
/// Each table maps a code to the code of the other law whose quantization interval contains the
/// first code's reconstruction value; the sign is carried over, so both tables are symmetric about
/// zero and a zero stays the smallest step of its sign. A round trip (A→µ→A or µ→A→µ) returns the
/// original code for 240 of the 256 codes; the others move by one step where the two laws'
/// intervals straddle each other. ITU-T G.711 Tables 3 and 4 publish tables built for the same
/// purpose; some of their entries, where a value falls close to an interval edge of the other
/// law, pick the neighbouring code instead (one step apart, inaudible).
/// </remarks>
public static class G711
{
    private static readonly byte[] MuLawToALawTable = BuildMuLawToALaw();
    private static readonly byte[] ALawToMuLawTable = BuildALawToMuLaw();

    /// <summary>Transcodes one µ-law code to A-law.</summary>
    public static byte MuLawToALaw(byte code) => MuLawToALawTable[code];

    /// <summary>Transcodes one A-law code to µ-law.</summary>
    public static byte ALawToMuLaw(byte code) => ALawToMuLawTable[code];

    /// <summary>Transcodes a PCMU payload into a PCMA payload (one byte per sample).</summary>
    /// <exception cref="ArgumentException"><paramref name="aLaw"/> is shorter than <paramref name="muLaw"/>.</exception>
    public static void TranscodeMuLawToALaw(ReadOnlySpan<byte> muLaw, Span<byte> aLaw) =>
        Map(muLaw, aLaw, MuLawToALawTable);

    /// <summary>Transcodes a PCMA payload into a PCMU payload (one byte per sample).</summary>
    /// <exception cref="ArgumentException"><paramref name="muLaw"/> is shorter than <paramref name="aLaw"/>.</exception>
    public static void TranscodeALawToMuLaw(ReadOnlySpan<byte> aLaw, Span<byte> muLaw) =>
        Map(aLaw, muLaw, ALawToMuLawTable);

    private static void Map(ReadOnlySpan<byte> source, Span<byte> destination, byte[] table)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination must be at least as long as the source.", nameof(destination));
        }

        ref byte map = ref MemoryMarshal.GetArrayDataReference(table);
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Unsafe.Add(ref map, source[i]);
        }
    }

    private static byte[] BuildMuLawToALaw()
    {
        var table = new byte[256];
        for (int code = 0; code < 256; code++)
        {
            short value = MuLaw.Decode((byte)code);
            byte positive = ALaw.Encode(Math.Abs(value));
            table[code] = (code & 0x80) != 0 ? positive : (byte)(positive & 0x7F);
        }

        return table;
    }

    private static byte[] BuildALawToMuLaw()
    {
        var table = new byte[256];
        for (int code = 0; code < 256; code++)
        {
            short value = ALaw.Decode((byte)code);
            byte positive = MuLaw.Encode(Math.Abs(value));
            table[code] = (code & 0x80) != 0 ? positive : (byte)(positive & 0x7F);
        }

        return table;
    }
}
