using Dialtone.Daemon.Speech;

namespace Dialtone.Daemon.Tests.Speech;

public sealed class SpeechCacheTests
{
    [Fact]
    public async Task Least_recently_used_renderings_are_evicted_to_stay_within_the_byte_bound()
    {
        var cache = new SpeechCache(maxBytes: 10_000);
        Task<short[]> Render() => Task.FromResult(new short[2_000]); // 4,000 bytes

        await cache.GetOrRender("a", Render);
        await cache.GetOrRender("b", Render);
        await cache.GetOrRender("a", Render); // a is now the most recent
        await cache.GetOrRender("c", Render); // evicts b
        await cache.GetOrRender("a", Render);
        await cache.GetOrRender("b", Render); // rendered again

        var stats = cache.Statistics;
        Assert.Equal((2L, 4L, 2L), (stats.Hits, stats.Misses, stats.Evictions));
        Assert.Equal((2, 8_000L), (stats.Items, stats.Bytes));
    }

    [Fact]
    public async Task A_failed_render_is_not_cached_and_can_be_retried()
    {
        var cache = new SpeechCache(maxBytes: 10_000);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrRender("k", () => Task.FromException<short[]>(new InvalidOperationException("boom"))));
        var retry = await cache.GetOrRender("k", () => Task.FromResult(new short[10]));

        Assert.Equal(10, retry.Length);
        Assert.Equal(2, cache.Statistics.Misses);
    }

    [Fact]
    public async Task Requests_during_a_render_join_it()
    {
        var cache = new SpeechCache(maxBytes: 10_000);
        var gate = new TaskCompletionSource<short[]>();
        var renders = 0;
        Task<short[]> Render()
        {
            renders++;
            return gate.Task;
        }

        var first = cache.GetOrRender("k", Render);
        var second = cache.GetOrRender("k", Render);
        gate.SetResult(new short[5]);

        Assert.Same(await first, await second);
        Assert.Equal(1, renders);
        Assert.Equal(1, cache.Statistics.Joined);
    }

    [Fact]
    public void Keys_ignore_the_case_of_voice_and_language_but_not_of_the_text()
    {
        Assert.Equal(SpeechCache.KeyOf("Hi", "Woman", "EN-us"), SpeechCache.KeyOf("Hi", "woman", "en-US"));
        Assert.NotEqual(SpeechCache.KeyOf("Hi", null, null), SpeechCache.KeyOf("hi", null, null));
    }
}
