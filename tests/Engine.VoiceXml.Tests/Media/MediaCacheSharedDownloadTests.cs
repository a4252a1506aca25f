using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Media;
using Dialtone.Engine.VoiceXml.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Dialtone.Engine.VoiceXml.Tests.Media;

/// <summary>One download per media URL, however many calls open it while it is in flight.</summary>
public sealed class MediaCacheSharedDownloadTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static MediaCache Cache(TimeProvider? time = null, MediaCacheOptions? options = null) => new(Guards.LoopbackClient(), options, time);

    private static TaskCompletionSource Signal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A server that sends the first <paramref name="firstPart"/> bytes of <paramref name="body"/>,
    /// waits for <paramref name="rest"/>, then sends the remainder (chunked, so nothing tells the
    /// client the length in advance).
    /// </summary>
    private static TestHttpServer ServeInTwoParts(byte[] body, int firstPart, Task rest, params string[] headers) =>
        new(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "audio/wav", contentLength: null, headers);
            await response.WriteAsync(body.AsMemory(0, firstPart));
            await rest.WaitAsync(HangGuard);
            await response.WriteAsync(body.AsMemory(firstPart));
            await response.EndAsync();
        });

    private static async Task<byte[]> ReadToEndAsync(Stream body)
    {
        var all = new MemoryStream();
        await body.CopyToAsync(all).WaitAsync(HangGuard);
        return all.ToArray();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(HangGuard);
        while (!condition())
            await Task.Delay(5, guard.Token);
    }

    [Fact]
    public async Task Concurrent_opens_share_one_download_and_read_its_bytes_as_they_arrive()
    {
        var wav = MediaCacheTests.Wav(40_000);
        var rest = Signal();
        await using var server = ServeInTwoParts(wav, 20_000, rest.Task, "Cache-Control: max-age=300");
        var cache = Cache(new FakeTimeProvider());
        var url = server.Url("/prompt.wav");

        var opens = Enumerable.Range(0, 10).Select(_ => cache.OpenAsync(url, CancellationToken.None)).ToArray();
        var streams = await Task.WhenAll(opens).WaitAsync(HangGuard);
        try
        {
            // Every reader gets the first half while the server still holds back the second.
            var heads = new List<byte[]>();
            foreach (var media in streams)
            {
                Assert.False(media.FromCache);
                var head = new byte[20_000];
                await media.Body.ReadExactlyAsync(head).AsTask().WaitAsync(HangGuard);
                heads.Add(head);
            }
            Assert.All(heads, head => Assert.Equal(wav[..20_000], head));
            Assert.False(rest.Task.IsCompleted);
            Assert.Equal(0, cache.Statistics.Items);

            // A call that starts now joins too, and still reads from the first byte.
            var late = await cache.OpenAsync(url, CancellationToken.None).WaitAsync(HangGuard);
            streams = [.. streams, late];
            heads.Add([]);
            Assert.False(late.FromCache);

            rest.SetResult();
            var tails = await Task.WhenAll(streams.Select(media => ReadToEndAsync(media.Body)));
            Assert.All(heads.Zip(tails), pair => Assert.Equal(wav, pair.First.Concat(pair.Second).ToArray()));
        }
        finally
        {
            foreach (var media in streams)
                media.Dispose();
        }

        Assert.Single(server.Requests);
        var stats = cache.Statistics;
        Assert.Equal((1L, 10L, 0L, 1, 40_000L), (stats.Misses, stats.Joined, stats.Hits, stats.Items, stats.Bytes));
        using var cached = await cache.OpenAsync(url, CancellationToken.None);
        Assert.True(cached.FromCache);
    }

    [Fact]
    public async Task A_slow_reader_does_not_hold_back_the_download()
    {
        var wav = MediaCacheTests.Wav(512 * 1024);
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "audio/wav", contentLength: null, "Cache-Control: max-age=300");
            for (var offset = 0; offset < wav.Length; offset += 16 * 1024)
                await response.WriteAsync(wav.AsMemory(offset, 16 * 1024));
            await response.EndAsync();
        });
        var cache = Cache(new FakeTimeProvider());
        var url = server.Url("/long.wav");

        using var slow = await cache.OpenAsync(url, CancellationToken.None).WaitAsync(HangGuard);
        var first = new byte[100];
        await slow.Body.ReadExactlyAsync(first).AsTask().WaitAsync(HangGuard);

        // The whole file arrives and is cached while the slow reader sits at byte 100.
        await WaitUntilAsync(() => cache.Statistics.Items == 1);
        Assert.Equal(100, slow.Body.Position);
        using (var next = await cache.OpenAsync(url, CancellationToken.None).WaitAsync(HangGuard))
        {
            Assert.True(next.FromCache);
            Assert.Equal(wav, await ReadToEndAsync(next.Body));
        }

        var remainder = await ReadToEndAsync(slow.Body);
        Assert.Equal(wav, first.Concat(remainder).ToArray());
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_reader_that_cancels_or_is_disposed_midway_does_not_break_the_others()
    {
        var wav = MediaCacheTests.Wav(30_000);
        var rest = Signal();
        await using var server = ServeInTwoParts(wav, 10_000, rest.Task, "Cache-Control: max-age=300");
        var cache = Cache(new FakeTimeProvider());
        var url = server.Url("/a.wav");
        var opens = Enumerable.Range(0, 3).Select(_ => cache.OpenAsync(url, CancellationToken.None)).ToArray();
        var streams = await Task.WhenAll(opens).WaitAsync(HangGuard);
        var (cancelling, hangingUp, steady) = (streams[0], streams[1], streams[2]);
        var head = new byte[10_000];
        foreach (var media in streams)
            await media.Body.ReadExactlyAsync(head).AsTask().WaitAsync(HangGuard);

        // Both have caught up with the download, so their next reads wait for more.
        using var cancel = new CancellationTokenSource();
        var cancelledRead = cancelling.Body.ReadAsync(new byte[1000], cancel.Token);
        var abandonedRead = hangingUp.Body.ReadAsync(new byte[1000]);
        Assert.False(cancelledRead.IsCompleted);
        Assert.False(abandonedRead.IsCompleted);
        cancel.Cancel();
        hangingUp.Dispose();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledRead.AsTask().WaitAsync(HangGuard));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => abandonedRead.AsTask().WaitAsync(HangGuard));

        rest.SetResult();
        Assert.Equal(wav[10_000..], await ReadToEndAsync(steady.Body));
        // A cancelled read is just one read: the reader can carry on.
        Assert.Equal(wav[10_000..], await ReadToEndAsync(cancelling.Body));
        steady.Dispose();
        cancelling.Dispose();

        Assert.Single(server.Requests);
        Assert.Equal(1, cache.Statistics.Items);
    }

    [Fact]
    public async Task A_download_that_breaks_off_fails_every_reader_and_the_next_open_downloads_again()
    {
        var wav = MediaCacheTests.Wav(20_000);
        var breakOff = Signal();
        var attempts = 0;
        await using var server = new TestHttpServer(async (_, response) =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                // Declares the whole length, sends half, then closes the connection.
                await response.SendHeadersAsync(200, "audio/wav", wav.Length, "Cache-Control: max-age=300");
                await response.WriteAsync(wav.AsMemory(0, 10_000));
                await breakOff.Task.WaitAsync(HangGuard);
                return;
            }
            await response.SendBytesAsync(200, wav, "audio/wav", "Cache-Control: max-age=300");
        });
        var cache = Cache(new FakeTimeProvider());
        var url = server.Url("/a.wav");
        var streams = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cache.OpenAsync(url, CancellationToken.None))).WaitAsync(HangGuard);
        var head = new byte[10_000];
        foreach (var media in streams)
            await media.Body.ReadExactlyAsync(head).AsTask().WaitAsync(HangGuard);

        var reads = streams.Select(media => ReadToEndAsync(media.Body)).ToArray();
        breakOff.SetResult();
        foreach (var read in reads)
        {
            var ex = await Assert.ThrowsAsync<VoiceAppException>(() => read);
            Assert.Equal(VoiceAppErrorCode.FetchFailed, ex.Code);
        }
        foreach (var media in streams)
            media.Dispose();
        Assert.Single(server.Requests);
        Assert.Equal(0, cache.Statistics.Items);

        var again = await cache.GetAsync(url, CancellationToken.None).WaitAsync(HangGuard);
        Assert.Equal(wav, again.Bytes.ToArray());
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(1, cache.Statistics.Items);
    }

    [Fact]
    public async Task A_shared_body_over_the_item_bound_fails_every_reader_and_is_not_kept()
    {
        var more = Signal();
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "audio/mpeg", contentLength: null, "Cache-Control: max-age=300");
            await response.WriteAsync(new byte[8192]);
            await more.Task.WaitAsync(HangGuard);
            for (var i = 0; i < 10; i++)
                await response.WriteAsync(new byte[8192]);
            await response.EndAsync();
        });
        var cache = Cache(new FakeTimeProvider(), MediaCacheOptions.Default with { MaxItemBytes = 20_000 });
        var url = server.Url("/big.mp3");
        var streams = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => cache.OpenAsync(url, CancellationToken.None))).WaitAsync(HangGuard);
        var head = new byte[8192];
        foreach (var media in streams)
            await media.Body.ReadExactlyAsync(head).AsTask().WaitAsync(HangGuard);

        var reads = streams.Select(media => ReadToEndAsync(media.Body)).ToArray();
        more.SetResult();
        foreach (var read in reads)
        {
            var ex = await Assert.ThrowsAsync<VoiceAppException>(() => read);
            Assert.Equal(VoiceAppErrorCode.TooLarge, ex.Code);
        }
        foreach (var media in streams)
            media.Dispose();

        Assert.Single(server.Requests);
        Assert.Equal((0, 0L), (cache.Statistics.Items, cache.Statistics.Bytes));
    }

    [Fact]
    public async Task Concurrent_opens_of_a_stale_file_share_one_revalidation()
    {
        var time = new FakeTimeProvider();
        var wav = MediaCacheTests.Wav(3000);
        var answer = Signal();
        await using var server = new TestHttpServer(async (request, response) =>
        {
            if (request.Headers.ContainsKey("If-None-Match"))
            {
                await answer.Task.WaitAsync(HangGuard);
                await response.SendBytesAsync(304, [], null, "Cache-Control: max-age=60", "ETag: \"v1\"");
                return;
            }
            await response.SendBytesAsync(200, wav, "audio/wav", "Cache-Control: max-age=60", "ETag: \"v1\"");
        });
        var cache = Cache(time);
        var url = server.Url("/a.wav");
        await cache.GetAsync(url, CancellationToken.None).WaitAsync(HangGuard);
        time.Advance(TimeSpan.FromSeconds(61));

        var opens = Enumerable.Range(0, 5).Select(_ => cache.OpenAsync(url, CancellationToken.None)).ToArray();
        answer.SetResult();
        var streams = await Task.WhenAll(opens).WaitAsync(HangGuard);

        Assert.All(streams, media => Assert.True(media.FromCache));
        Assert.All(streams, media => Assert.IsType<MemoryStream>(media.Body));
        foreach (var media in streams)
            media.Dispose();
        Assert.Equal(2, server.Requests.Count);
        var stats = cache.Statistics;
        Assert.Equal((1L, 1L, 4L), (stats.Misses, stats.Revalidations, stats.Joined));
    }

    [Fact]
    public async Task A_response_that_may_not_be_stored_is_not_shared()
    {
        var wav = MediaCacheTests.Wav(4000);
        var rest = Signal();
        await using var server = ServeInTwoParts(wav, 1000, rest.Task, "Cache-Control: no-store");
        var cache = Cache(new FakeTimeProvider());
        var url = server.Url("/private.wav");

        // Both opens start before any response: the second joins, sees no-store, and sends its own.
        var opens = new[] { cache.OpenAsync(url, CancellationToken.None), cache.OpenAsync(url, CancellationToken.None) };
        rest.SetResult();
        var streams = await Task.WhenAll(opens).WaitAsync(HangGuard);

        foreach (var media in streams)
        {
            Assert.Equal(wav, await ReadToEndAsync(media.Body));
            media.Dispose();
        }
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal((2L, 0L, 0), (cache.Statistics.Misses, cache.Statistics.Joined, cache.Statistics.Items));
    }

    [Fact]
    public async Task A_caller_giving_up_before_the_response_does_not_cancel_the_download_for_the_others()
    {
        var wav = MediaCacheTests.Wav(4000);
        var answer = Signal();
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await answer.Task.WaitAsync(HangGuard);
            await response.SendBytesAsync(200, wav, "audio/wav", "Cache-Control: max-age=300");
        });
        var cache = Cache(new FakeTimeProvider());
        var url = server.Url("/a.wav");
        using var hangUp = new CancellationTokenSource();

        var first = cache.OpenAsync(url, hangUp.Token);
        var second = cache.OpenAsync(url, CancellationToken.None);
        hangUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(HangGuard));
        answer.SetResult();

        using var media = await second.WaitAsync(HangGuard);
        Assert.Equal(wav, await ReadToEndAsync(media.Body));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Reading_bytes_already_downloaded_allocates_nothing()
    {
        var wav = MediaCacheTests.Wav(64_000);
        var rest = Signal();
        await using var server = ServeInTwoParts(wav, 1000, rest.Task, "Cache-Control: max-age=300");
        var cache = Cache(new FakeTimeProvider());
        using var media = await cache.OpenAsync(server.Url("/a.wav"), CancellationToken.None).WaitAsync(HangGuard);
        rest.SetResult();
        await WaitUntilAsync(() => cache.Statistics.Items == 1);
        var chunk = new byte[160];
        for (var i = 0; i < 10; i++)
            Assert.Equal(160, await media.Body.ReadAsync(chunk));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 300; i++)
        {
            var read = media.Body.ReadAsync(chunk);
            Assert.True(read.IsCompletedSuccessfully);
            total += await read;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(300 * 160, total);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task A_read_that_waits_for_the_download_allocates_nothing()
    {
        var wav = MediaCacheTests.Wav(8000);
        var rest = Signal();
        await using var server = ServeInTwoParts(wav, 4000, rest.Task, "Cache-Control: max-age=300");
        var cache = Cache(new FakeTimeProvider());
        using var media = await cache.OpenAsync(server.Url("/a.wav"), CancellationToken.None).WaitAsync(HangGuard);
        var head = new byte[4000];
        await media.Body.ReadExactlyAsync(head).AsTask().WaitAsync(HangGuard);

        // Starting a read that must wait (and the reader's reusable wait) costs nothing on this thread.
        var chunk = new byte[160];
        var before = GC.GetAllocatedBytesForCurrentThread();
        var pending = media.Body.ReadAsync(chunk);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.False(pending.IsCompleted);
        Assert.Equal(0, allocated);

        rest.SetResult();
        Assert.Equal(160, await pending.AsTask().WaitAsync(HangGuard));
        Assert.Equal(wav[4000..4160], chunk);
    }
}
