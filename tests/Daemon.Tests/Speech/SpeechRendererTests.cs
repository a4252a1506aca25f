using System.Diagnostics;
using Dialtone.Daemon.Speech;
using Xunit.Abstractions;

namespace Dialtone.Daemon.Tests.Speech;

public sealed class SpeechRendererTests(ITestOutputHelper output)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    private static double Rms(ReadOnlySpan<short> samples)
    {
        double sum = 0;
        foreach (var s in samples)
            sum += (double)s * s;
        return Math.Sqrt(sum / Math.Max(1, samples.Length));
    }

    [Fact]
    public async Task The_seed_pin_renders_to_audible_8k_audio_of_plausible_length()
    {
        var speech = SpeechRenderer.Start();

        var pcm = await speech.RenderAsync("Your pin is 8 9 70", null, null, CancellationToken.None).AsTask().WaitAsync(HangGuard);

        var seconds = pcm.Length / (double)SpeechRenderer.SampleRate;
        Assert.InRange(seconds, 1.5, 4.0);
        Assert.True(Rms(pcm.Span) > 300, $"RMS {Rms(pcm.Span):0}");
    }

    [Fact]
    public async Task A_second_identical_request_is_served_from_the_cache()
    {
        var speech = SpeechRenderer.Start();
        var text = "Your pin is 8 9 70, cache check " + Guid.NewGuid().ToString("N")[..4];

        var first = await speech.RenderAsync(text, "woman", "en-US", CancellationToken.None).AsTask().WaitAsync(HangGuard);
        var second = await speech.RenderAsync(text, "woman", "en-US", CancellationToken.None).AsTask().WaitAsync(HangGuard);

        Assert.Equal(new SpeechCacheStatistics(Hits: 1, Misses: 1, Joined: 0, Evictions: 0, Items: 1, Bytes: first.Length * 2L), speech.CacheStatistics);
        Assert.True(first.Span.SequenceEqual(second.Span));
    }

    [Fact]
    public async Task Concurrent_identical_requests_share_one_render()
    {
        var speech = SpeechRenderer.Start();
        const string text = "Please hold while we connect your call to the next available representative.";

        var renders = Enumerable.Range(0, 4).Select(_ => speech.RenderAsync(text, "man", "en-GB", CancellationToken.None).AsTask()).ToArray();
        var results = await Task.WhenAll(renders).WaitAsync(HangGuard);

        Assert.Equal(1, speech.CacheStatistics.Misses);
        Assert.Equal(3, speech.CacheStatistics.Joined + speech.CacheStatistics.Hits);
        Assert.All(results, r => Assert.True(r.Span.SequenceEqual(results[0].Span)));
    }

    [Fact]
    public async Task Digits_are_spoken_as_written_not_merged_into_larger_numbers()
    {
        var speech = SpeechRenderer.Start();

        var asDigits = await speech.PhonemesAsync("Your pin is 8 9 70", null, null).WaitAsync(HangGuard);
        var asWords = await speech.PhonemesAsync("Your pin is eight nine seventy", null, null).WaitAsync(HangGuard);
        var merged = await speech.PhonemesAsync("Your pin is eighty nine seventy", null, null).WaitAsync(HangGuard);

        output.WriteLine(asDigits);
        Assert.Equal(asWords, asDigits);
        Assert.NotEqual(merged, asDigits);
    }

    [Fact]
    public async Task Different_voices_render_differently_and_an_unknown_language_falls_back()
    {
        var speech = SpeechRenderer.Start();

        var man = await speech.RenderAsync("Hello", "man", "en-US", CancellationToken.None).AsTask().WaitAsync(HangGuard);
        var woman = await speech.RenderAsync("Hello", "woman", "en-US", CancellationToken.None).AsTask().WaitAsync(HangGuard);
        var unknown = await speech.RenderAsync("Hello", "man", "xx-YY", CancellationToken.None).AsTask().WaitAsync(HangGuard);
        var french = await speech.RenderAsync("Chapeau!", "woman", "fr-FR", CancellationToken.None).AsTask().WaitAsync(HangGuard);

        Assert.False(man.Span.SequenceEqual(woman.Span));
        Assert.True(Rms(unknown.Span) > 300);
        Assert.True(Rms(french.Span) > 300);
    }

    [Fact]
    public async Task A_cancelled_request_stops_waiting()
    {
        var speech = SpeechRenderer.Start();
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => speech.RenderAsync("never heard", null, null, cts.Token).AsTask());
    }

    [Fact]
    public void A_missing_library_is_a_clear_error_at_start()
    {
        var ex = Assert.Throws<SpeechUnavailableException>(() => SpeechRenderer.Start(new SpeechOptions { LibraryName = "libespeak-ng-missing.so.9" }));

        Assert.Contains("libespeak-ng1", ex.Message);
        Assert.Contains("libespeak-ng-missing.so.9", ex.Message);
    }

    /// <summary>
    /// Reports render cost per second of audio (printed, not asserted: timing limits belong in
    /// benchmarks). Run with --logger "console;verbosity=detailed" to see the figure.
    /// </summary>
    [Fact]
    public async Task Render_cost_per_second_of_audio_is_reported()
    {
        var speech = SpeechRenderer.Start(new SpeechOptions { MaxCacheBytes = 0 });
        const string text = "Thank you for calling. Your appointment is confirmed for Tuesday at 3 PM. Press 1 to repeat this message.";
        await speech.RenderAsync(text, "man", "en-US", CancellationToken.None); // warm-up (voice load)

        var watch = Stopwatch.StartNew();
        double audioSeconds = 0;
        for (var i = 0; i < 5; i++)
            audioSeconds += (await speech.RenderAsync(text, "man", "en-US", CancellationToken.None)).Length / (double)SpeechRenderer.SampleRate;
        watch.Stop();

        var perSecond = watch.Elapsed.TotalMilliseconds / audioSeconds;
        output.WriteLine($"speech render: {perSecond:0.00} ms per second of 8 kHz audio ({audioSeconds:0.0} s of audio in {watch.Elapsed.TotalMilliseconds:0} ms)");
        Assert.True(audioSeconds > 0);
    }
}
