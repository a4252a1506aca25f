using System.Buffers.Binary;
using Dialtone.Daemon.Orchestration;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Daemon.Tests.Orchestration;

public sealed class DecodedClipCacheTests
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(30);

    [Fact]
    public void The_same_cached_bytes_are_decoded_once_and_shared()
    {
        var cache = new DecodedClipCache();
        byte[] file = Wav8kMono(seconds: 1);

        AudioClip first = cache.GetOrDecode(file, file, AudioFileFormat.Wav, MaxDuration);
        AudioClip second = cache.GetOrDecode(file, file, AudioFileFormat.Wav, MaxDuration);

        Assert.Same(first, second);
        Assert.Equal(8000, first.SampleCount);
        Assert.Equal(1, cache.Decodes);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void New_bytes_for_a_url_are_decoded_again()
    {
        // The media cache replaces an entry's array when the file changes: the clip must follow.
        var cache = new DecodedClipCache();
        byte[] before = Wav8kMono(seconds: 1);
        byte[] after = Wav8kMono(seconds: 2);

        cache.GetOrDecode(before, before, AudioFileFormat.Wav, MaxDuration);
        AudioClip clip = cache.GetOrDecode(after, after, AudioFileFormat.Wav, MaxDuration);

        Assert.Equal(16000, clip.SampleCount);
        Assert.Equal(2, cache.Decodes);
    }

    [Fact]
    public void Bytes_that_are_not_audio_fail_with_a_format_error_and_are_not_kept()
    {
        var cache = new DecodedClipCache();
        byte[] html = "<html>not found</html>"u8.ToArray();

        Assert.ThrowsAny<AudioFormatException>(() => cache.GetOrDecode(html, html, AudioFileFormat.Detect, MaxDuration));
        Assert.ThrowsAny<AudioFormatException>(() => cache.GetOrDecode(html, html, AudioFileFormat.Detect, MaxDuration));
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void A_slice_of_a_larger_array_is_decoded_from_its_own_bytes()
    {
        var cache = new DecodedClipCache();
        byte[] wav = Wav8kMono(seconds: 1);
        byte[] owner = new byte[wav.Length + 100];
        wav.CopyTo(owner, 50);

        AudioClip clip = cache.GetOrDecode(owner, owner.AsMemory(50, wav.Length), AudioFileFormat.Wav, MaxDuration);

        Assert.Equal(8000, clip.SampleCount);
    }

    /// <summary>A canonical 44-byte-header WAV: PCM 16-bit, 8 kHz, mono, a ramp.</summary>
    private static byte[] Wav8kMono(int seconds)
    {
        int samples = 8000 * seconds;
        var file = new byte[44 + samples * 2];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), file.Length - 8);
        "WAVEfmt "u8.CopyTo(file.AsSpan(8));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(16), 16);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(20), 1);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(22), 1);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(24), 8000);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(28), 16000);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(32), 2);
        BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(34), 16);
        "data"u8.CopyTo(file.AsSpan(36));
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(40), samples * 2);
        for (int i = 0; i < samples; i++)
            BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(44 + i * 2), (short)(i % 2000));
        return file;
    }
}
