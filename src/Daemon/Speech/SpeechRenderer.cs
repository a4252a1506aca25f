namespace Dialtone.Daemon.Speech;

/// <summary>
/// Speech for &lt;Say&gt;: maps the verb's voice and language to espeak-ng, renders on the synthesis
/// thread (never on a media thread), resamples to 8 kHz, and caches the result. Thread-safe.
/// </summary>
public sealed class SpeechRenderer
{
    /// <summary>The rate of every rendering: the G.711 clock (RFC 3551 §4.5.14).</summary>
    public const int SampleRate = 8000;

    private readonly EspeakSynthesizer _synthesizer;
    private readonly SpeechCache _cache;

    private SpeechRenderer(EspeakSynthesizer synthesizer, SpeechOptions options)
    {
        _synthesizer = synthesizer;
        _cache = new SpeechCache(options.MaxCacheBytes);
    }

    /// <summary>Starts the speech engine (loading and initialising libespeak-ng once per process).</summary>
    /// <exception cref="SpeechUnavailableException">libespeak-ng is missing or fails to initialise.</exception>
    public static SpeechRenderer Start(SpeechOptions? options = null)
    {
        options ??= SpeechOptions.Default;
        return new SpeechRenderer(EspeakSynthesizer.Acquire(options), options);
    }

    public SpeechCacheStatistics CacheStatistics => _cache.Statistics;

    /// <summary>
    /// Renders <paramref name="text"/> as 8 kHz mono PCM16, from the cache when it was rendered
    /// before with the same voice and language. The returned samples are shared: do not modify them.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<short>> RenderAsync(string text, string? voice, string? language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = SpeechCache.KeyOf(text, voice, language);
        var mapped = SpeechVoiceMapper.Map(voice, language);
        // The shared render is not tied to one caller's token: another call may be waiting for it.
        var render = _cache.GetOrRender(key, () => _synthesizer.RenderAsync(text, mapped, CancellationToken.None));
        return await render.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What espeak-ng will pronounce for <paramref name="text"/>, as phoneme mnemonics (diagnostics and tests).</summary>
    public Task<string> PhonemesAsync(string text, string? voice, string? language) =>
        _synthesizer.PhonemesAsync(text, SpeechVoiceMapper.Map(voice, language));
}
