using System.Buffers.Binary;

namespace Dialtone.Engine.Rtp.Tests.Audio;

/// <summary>Builds WAV files chunk by chunk, including the odd ones real writers produce.</summary>
internal sealed class WavBuilder
{
    private readonly List<byte> _body = [];
    private uint? _riffSize;

    public static byte[] Fmt(ushort tag, int channels, int rate, int bits, int? blockAlign = null)
    {
        var fmt = new byte[16];
        int align = blockAlign ?? (channels * bits / 8);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)bits);
        return fmt;
    }

    public static byte[] ExtensibleFmt(ushort subFormatTag, int channels, int rate, int bits)
    {
        var fmt = new byte[40];
        Fmt(0xFFFE, channels, rate, bits).CopyTo(fmt, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), (ushort)bits);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(20), channels == 1 ? 4u : 3u);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), subFormatTag);
        byte[] suffix = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        suffix.CopyTo(fmt, 26);
        return fmt;
    }

    public static byte[] Pcm16(ReadOnlySpan<short> samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2), samples[i]);
        }

        return bytes;
    }

    public WavBuilder RiffSize(uint size)
    {
        _riffSize = size;
        return this;
    }

    /// <summary>Adds a chunk with its real size (and a pad byte when odd).</summary>
    public WavBuilder Chunk(string id, byte[] data) => Chunk(id, data, (uint)data.Length, pad: true);

    /// <summary>Adds a chunk whose header may claim another size.</summary>
    public WavBuilder Chunk(string id, byte[] data, uint declaredSize, bool pad)
    {
        _body.AddRange(System.Text.Encoding.ASCII.GetBytes(id));
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, declaredSize);
        _body.AddRange(size);
        _body.AddRange(data);
        if (pad && (data.Length & 1) != 0)
        {
            _body.Add(0);
        }

        return this;
    }

    public WavBuilder Raw(params byte[] bytes)
    {
        _body.AddRange(bytes);
        return this;
    }

    public byte[] Build()
    {
        var file = new List<byte>();
        file.AddRange("RIFF"u8.ToArray());
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, _riffSize ?? (uint)(_body.Count + 4));
        file.AddRange(size);
        file.AddRange("WAVE"u8.ToArray());
        file.AddRange(_body);
        return file.ToArray();
    }
}
