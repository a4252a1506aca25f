using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Media;
using Dialtone.Engine.VoiceXml.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.VoiceXml.Tests.Media;

public sealed class MediaCacheTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    /// <summary>A small valid WAV header followed by silence, <paramref name="size"/> bytes in all.</summary>
    internal static byte[] Wav(int size)
    {
        var bytes = new byte[size];
        "RIFF"u8.CopyTo(bytes);
        BitConverter.GetBytes(size - 8).CopyTo(bytes, 4);
        "WAVE"u8.CopyTo(bytes.AsSpan(8));
        bytes[^1] = (byte)(size % 251);
        return bytes;
    }

    private static TestHttpServer ServeFile(byte[] body, string contentType, params string[] headers) =>
        new((request, response) =>
        {
            var etag = headers.FirstOrDefault(h => h.StartsWith("ETag:", StringComparison.Ordinal))?[5..].Trim();
            if (etag is not null && request.Headers.TryGetValue("If-None-Match", out var match) && match == etag)
                return response.SendBytesAsync(304, [], null, headers);
            return response.SendBytesAsync(200, body, contentType, headers);
        });

    private static MediaCache Cache(TimeProvider? time = null, MediaCacheOptions? options = null) => new(Guards.LoopbackClient(), options, time);

    [Fact]
    public async Task A_fresh_file_is_served_from_the_cache()
    {
        var wav = Wav(4000);
        await using var server = ServeFile(wav, "audio/wav", "Cache-Control: max-age=300");
        var cache = Cache(new FakeTimeProvider());

        var first = await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);
        var second = await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);

        Assert.Equal(wav, first.Bytes.ToArray());
        Assert.Equal(wav, second.Bytes.ToArray());
        Assert.Equal(MediaFormat.Wav, second.Format);
        Assert.Single(server.Requests);
        Assert.Equal(new MediaCacheStatistics(Hits: 1, Revalidations: 0, Misses: 1, Joined: 0, Evictions: 0, Items: 1, Bytes: 4000), cache.Statistics);
    }

    [Fact]
    public async Task A_stale_file_is_revalidated_with_its_etag()
    {
        var time = new FakeTimeProvider();
        await using var server = ServeFile(Wav(2000), "audio/x-wav", "Cache-Control: max-age=60", "ETag: \"v1\"");
        var cache = Cache(time);

        await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(61));
        var again = await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);

        Assert.Equal(2000, again.Bytes.Length);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("\"v1\"", server.Requests.Last().Headers["If-None-Match"]);
        Assert.Equal(1, cache.Statistics.Revalidations);
        Assert.Equal(1, cache.Statistics.Misses);
    }

    [Fact]
    public async Task No_cache_stores_but_revalidates_every_use()
    {
        await using var server = ServeFile(Wav(1000), "audio/wav", "Cache-Control: no-cache", "ETag: \"x\"");
        var cache = Cache(new FakeTimeProvider());

        for (var i = 0; i < 3; i++)
            await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal((2L, 1L, 0L), (cache.Statistics.Revalidations, cache.Statistics.Misses, cache.Statistics.Hits));
    }

    [Fact]
    public async Task No_store_is_never_kept()
    {
        await using var server = ServeFile(Wav(1000), "audio/wav", "Cache-Control: no-store, max-age=600", "ETag: \"x\"");
        var cache = Cache(new FakeTimeProvider());

        await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);
        await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(0, cache.Statistics.Items);
        Assert.False(server.Requests.Last().Headers.ContainsKey("If-None-Match"));
    }

    [Fact]
    public async Task A_response_with_no_freshness_and_no_validator_is_not_kept()
    {
        await using var server = ServeFile(Wav(1000), "audio/wav");
        var cache = Cache(new FakeTimeProvider());

        await cache.GetAsync(server.Url("/a.wav"), CancellationToken.None);

        Assert.Equal(0, cache.Statistics.Items);
    }

    [Fact]
    public async Task The_least_recently_used_files_are_evicted_to_stay_within_the_byte_bound()
    {
        await using var server = ServeFile(Wav(4000), "audio/wav", "Cache-Control: max-age=300");
        var cache = Cache(new FakeTimeProvider(), MediaCacheOptions.Default with { MaxTotalBytes = 10_000 });

        await cache.GetAsync(server.Url("/1.wav"), CancellationToken.None);
        await cache.GetAsync(server.Url("/2.wav"), CancellationToken.None);
        await cache.GetAsync(server.Url("/1.wav"), CancellationToken.None); // 1 is now the most recent
        await cache.GetAsync(server.Url("/3.wav"), CancellationToken.None); // evicts 2
        await cache.GetAsync(server.Url("/1.wav"), CancellationToken.None);

        var stats = cache.Statistics;
        Assert.Equal((2, 8000L, 1L), (stats.Items, stats.Bytes, stats.Evictions));
        Assert.Equal(2, stats.Hits);
        Assert.Equal(["/1.wav", "/2.wav", "/3.wav"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public async Task A_file_over_the_item_bound_is_refused()
    {
        await using var server = ServeFile(Wav(50_000), "audio/wav", "Cache-Control: max-age=300");
        var cache = Cache(options: MediaCacheOptions.Default with { MaxItemBytes = 10_000 });

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() => cache.GetAsync(server.Url("/big.wav"), CancellationToken.None));

        Assert.Equal(VoiceAppErrorCode.TooLarge, ex.Code);
    }

    [Fact]
    public async Task A_chunked_file_over_the_item_bound_fails_while_streaming()
    {
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "audio/mpeg", contentLength: null);
            var chunk = new byte[8192];
            for (var i = 0; i < 100; i++)
                await response.WriteAsync(chunk);
            await response.EndAsync();
        });
        var cache = Cache(options: MediaCacheOptions.Default with { MaxItemBytes = 20_000 });

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() => cache.GetAsync(server.Url("/big.mp3"), CancellationToken.None).WaitAsync(HangGuard));

        Assert.Equal(VoiceAppErrorCode.TooLarge, ex.Code);
        Assert.Equal(0, cache.Statistics.Items);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json")]
    public async Task Non_audio_content_types_are_refused(string contentType)
    {
        await using var server = ServeFile("<html>not found</html>"u8.ToArray(), contentType);

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() => Cache().GetAsync(server.Url("/a.wav"), CancellationToken.None));

        Assert.Equal(VoiceAppErrorCode.BadContentType, ex.Code);
    }

    [Fact]
    public async Task An_octet_stream_is_recognised_by_its_bytes()
    {
        await using var server = ServeFile([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0], "application/octet-stream");

        var media = await Cache().GetAsync(server.Url("/a"), CancellationToken.None);

        Assert.Equal(MediaFormat.Mp3, media.Format);
    }

    [Fact]
    public async Task Playback_can_read_the_first_bytes_before_the_download_ends()
    {
        var rest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "audio/wav", contentLength: null, "Cache-Control: max-age=60");
            await response.WriteAsync(Wav(1000));
            await rest.Task.WaitAsync(HangGuard);
            await response.WriteAsync(new byte[1000]);
            await response.EndAsync();
        });
        var cache = Cache(new FakeTimeProvider());

        using (var media = await cache.OpenAsync(server.Url("/stream.wav"), CancellationToken.None).WaitAsync(HangGuard))
        {
            var head = new byte[12];
            await media.Body.ReadExactlyAsync(head).AsTask().WaitAsync(HangGuard);
            Assert.Equal(MediaFormat.Wav, media.Format);
            Assert.False(media.FromCache);
            Assert.Equal(0, cache.Statistics.Items);
            rest.SetResult();
            var all = new MemoryStream();
            await media.Body.CopyToAsync(all).WaitAsync(HangGuard);
            Assert.Equal(1988, all.Length);
        }

        Assert.Equal(1, cache.Statistics.Items);
        Assert.Equal(2000, cache.Statistics.Bytes);
        using var cached = await cache.OpenAsync(server.Url("/stream.wav"), CancellationToken.None);
        Assert.True(cached.FromCache);
    }

    [Fact]
    public async Task Media_urls_are_vetted_by_the_outbound_guard()
    {
        var cache = new MediaCache(Dialtone.Engine.VoiceXml.Fetching.VoiceDocumentFetcher.CreateHttpClient(
            new Dialtone.Engine.VoiceXml.Fetching.OutboundAddressGuard(Dialtone.Engine.VoiceXml.Fetching.OutboundAddressPolicy.Default)));

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() => cache.GetAsync(new Uri("http://169.254.169.254/a.wav"), CancellationToken.None));

        Assert.Equal(VoiceAppErrorCode.ForbiddenAddress, ex.Code);
    }
}
