using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

/// <summary>Feeds a file to a decoder in random-sized pieces, as a download delivers it, and collects what it decodes.</summary>
internal static class ChunkedDecoding
{
    public static short[] Decode(Pcm8kDecoder decoder, byte[] file, Random random, int maxChunk)
    {
        var output = new List<short>();
        for (int offset = 0; offset < file.Length;)
        {
            int chunk = Math.Min(random.Next(1, maxChunk), file.Length - offset);
            decoder.Append(file.AsSpan(offset, chunk));
            offset += chunk;
            Drain(decoder, output);
        }

        decoder.EndOfInput();
        Drain(decoder, output);
        return output.ToArray();
    }

    private static void Drain(Pcm8kDecoder decoder, List<short> output)
    {
        for (ReadOnlySpan<short> piece = decoder.DecodeNext(); !piece.IsEmpty; piece = decoder.DecodeNext())
        {
            output.AddRange(piece);
        }
    }
}
