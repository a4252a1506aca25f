namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>Bounds and timeouts of <see cref="MediaCache"/>.</summary>
public sealed record MediaCacheOptions
{
    public static MediaCacheOptions Default { get; } = new();

    /// <summary>Total bytes kept (default 128 MiB); least recently used files are evicted first.</summary>
    public long MaxTotalBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>
    /// Largest single file (default 16 MiB: ten minutes of 8 kHz 16-bit WAV is 9.6 MB, of 128 kbit/s
    /// MP3 9.6 MB). A larger download fails with too-large rather than filling memory.
    /// </summary>
    public int MaxItemBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Longest wait for the response headers (default 15 s).</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest silence while the body downloads (default 15 s).</summary>
    public TimeSpan ReadIdleTimeout { get; init; } = TimeSpan.FromSeconds(15);
}
