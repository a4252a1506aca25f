using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Engine.Rtp.Tests.Audio;

public class StreamingAudioSourceTests
{
    [Theory]
    [InlineData("tone600l_1000r_44k1_pcm16_stereo.wav", 101)]
    [InlineData("tone1000_22k05_mono.mp3", 37)]
    [InlineData("tone1000_8k_mulaw.wav", 4096)]
    public async Task Plays_while_downloading_the_same_audio_as_the_whole_file(string file, int chunk)
    {
        byte[] bytes = TestVectors.Read(file);
        short[] expected = AudioClip.Decode(bytes).Samples.ToArray();
        using var source = new StreamingAudioSource(bufferSamples: 1600);

        Task producer = Task.Run(async () =>
        {
            for (int offset = 0; offset < bytes.Length; offset += chunk)
            {
                await source.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)));
            }

            await source.CompleteAsync();
        });
        short[] played = PlayAsMediaThread(source);
        await producer;

        Assert.Equal(expected, played);
        Assert.Null(source.Error);
    }

    [Fact]
    public async Task Reports_an_underrun_as_a_short_read_without_blocking()
    {
        byte[] bytes = TestVectors.Read("tone1000_8k_pcm16_mono.wav");
        using var source = new StreamingAudioSource();
        var frame = new short[160];

        Assert.Equal(0, source.Read(frame)); // nothing has arrived
        await source.WriteAsync(bytes.AsMemory(0, 44 + 200)); // header and 100 samples
        Assert.Equal(100, source.Read(frame));
        Assert.False(source.Completed);
        Assert.Equal(2, source.Underruns);

        await source.WriteAsync(bytes.AsMemory(244));
        await source.CompleteAsync();
        Assert.Equal(160, source.Read(frame));
        Assert.Equal(2, source.Underruns);
    }

    [Fact]
    public async Task Makes_the_producer_wait_while_the_ring_is_full()
    {
        byte[] bytes = TestVectors.Read("tone1000_16k_pcm16_mono.wav"); // 4000 samples at 8 kHz
        using var source = new StreamingAudioSource(bufferSamples: 1000);

        Task writing = source.WriteAsync(bytes).AsTask();
        await Task.Delay(100);
        Assert.False(writing.IsCompleted);
        Assert.Equal(1000, source.BufferedSamples);

        short[] played = PlayAsMediaThread(source, untilSamples: 3900);
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        await source.CompleteAsync();
        played = [.. played, .. PlayAsMediaThread(source)];

        Assert.Equal(4000, played.Length);
    }

    [Fact]
    public async Task A_file_that_is_not_audio_fails_the_producer_and_ends_the_playback()
    {
        using var source = new StreamingAudioSource();

        var error = await Assert.ThrowsAsync<AudioFormatException>(async () =>
            await source.WriteAsync("<html><body>502 Bad Gateway</body></html>"u8.ToArray()));

        Assert.Same(error, source.Error);
        Assert.True(source.Completed);
        Assert.Equal(0, source.Read(new short[160]));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await source.WriteAsync(new byte[1]));
    }

    [Fact]
    public async Task A_failed_download_plays_what_arrived_then_completes()
    {
        byte[] bytes = TestVectors.Read("tone1000_8k_pcm16_mono.wav");
        using var source = new StreamingAudioSource();

        await source.WriteAsync(bytes.AsMemory(0, 44 + 1000));
        source.Fail(new IOException("connection reset"));

        Assert.Equal(500, PlayAsMediaThread(source).Length);
        Assert.True(source.Completed);
        Assert.IsType<IOException>(source.Error);
        Assert.False(source.Rewind());
    }

    [Fact]
    public async Task A_truncated_header_at_the_end_is_a_format_error()
    {
        using var source = new StreamingAudioSource();
        await source.WriteAsync("RIFF\0\0"u8.ToArray());

        await Assert.ThrowsAsync<AudioFormatException>(async () => await source.CompleteAsync());
        Assert.True(source.Completed);
    }

    [Fact]
    public async Task Stopping_the_playback_releases_a_waiting_producer()
    {
        byte[] bytes = TestVectors.Read("tone1000_16k_pcm16_mono.wav");
        var source = new StreamingAudioSource(bufferSamples: 500);
        Task writing = source.WriteAsync(bytes).AsTask();
        await Task.Delay(50);

        source.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => writing.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Copies_a_slow_stream_and_completes()
    {
        byte[] bytes = TestVectors.Read("tone440_8k_mono.mp3");
        using var source = new StreamingAudioSource();

        await source.CopyFromAsync(new TricklingStream(bytes, 17));

        Assert.Equal(AudioFileFormat.Mp3, source.Format);
        Assert.Equal(AudioClip.Decode(bytes).SampleCount, PlayAsMediaThread(source).Length);
    }

    [Fact]
    public async Task A_cancelled_copy_fails_the_source()
    {
        byte[] bytes = TestVectors.Read("tone440_8k_mono.mp3");
        using var source = new StreamingAudioSource();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.CopyFromAsync(new MemoryStream(bytes), cancel.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(source.Error);
        Assert.True(source.Completed);
    }

    [Fact]
    public async Task Retained_audio_replays_for_loops_and_becomes_a_clip()
    {
        byte[] bytes = TestVectors.Read("tone1000_8k_alaw.wav");
        short[] once = AudioClip.Decode(bytes).Samples.ToArray();
        var source = new StreamingAudioSource(retainForReplay: true);
        using var looped = new LoopedAudioSource(source, 3);

        await source.WriteAsync(bytes);
        await source.CompleteAsync();
        short[] played = PlayAsMediaThread(looped);

        Assert.Equal([.. once, .. once, .. once], played);
        Assert.Equal(once, source.ToClip()!.Samples.ToArray());
    }

    [Fact]
    public async Task Without_retention_it_plays_once_and_cannot_rewind()
    {
        byte[] bytes = TestVectors.Read("tone1000_8k_alaw.wav");
        var source = new StreamingAudioSource();
        using var looped = new LoopedAudioSource(source, 3);

        await source.WriteAsync(bytes);
        Assert.False(source.Rewind()); // not complete yet
        await source.CompleteAsync();

        Assert.Equal(4000, PlayAsMediaThread(looped).Length);
        Assert.Null(source.ToClip());
    }

    [Fact]
    public async Task Refuses_audio_longer_than_the_limit()
    {
        byte[] bytes = TestVectors.Read("tone1000_8k_pcm16_mono.wav");
        using var source = new StreamingAudioSource(maxDuration: TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAsync<AudioFormatException>(async () => await source.WriteAsync(bytes));
    }

    [Fact]
    public async Task Read_allocates_nothing_once_warm()
    {
        byte[] bytes = TestVectors.Read("tone1000_16k_pcm16_mono.wav");
        using var source = new StreamingAudioSource();
        await source.WriteAsync(bytes);
        var frame = new short[1];

        long allocated = Allocations.Measure(() => source.Read(frame), iterations: 3000);

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Rejects_a_ring_smaller_than_a_frame() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingAudioSource(bufferSamples: 159));

    /// <summary>Reads 20 ms frames like the media thread, pausing briefly on an underrun.</summary>
    internal static short[] PlayAsMediaThread(IAudioSource source, int untilSamples = int.MaxValue)
    {
        var played = new List<short>();
        var frame = new short[160];
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (!source.Completed && played.Count < untilSamples)
        {
            Assert.True(DateTime.UtcNow < deadline, "the source never completed");
            int read = source.Read(frame.AsSpan(0, Math.Min(160, untilSamples - played.Count)));
            played.AddRange(frame.AsSpan(0, read));
            if (read < 160)
            {
                Thread.Sleep(1);
            }
        }

        return played.ToArray();
    }

    /// <summary>A stream that hands out a few bytes per read, as a slow download does.</summary>
    private sealed class TricklingStream(byte[] data, int perRead) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(perRead, buffer.Length)], cancellationToken);
    }
}
