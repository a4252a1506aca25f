namespace Dialtone.Daemon.Speech;

/// <summary>Settings of the speech engine.</summary>
public sealed record SpeechOptions
{
    public static SpeechOptions Default { get; } = new();

    /// <summary>Bytes of rendered 8 kHz audio kept (default 64 MiB, about 70 minutes of speech).</summary>
    public long MaxCacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Renders waiting for the synthesis thread before new requests are refused (default 1024).</summary>
    public int MaxQueuedRenders { get; init; } = 1024;

    /// <summary>The shared object to load (tests point it at a missing file to check the error).</summary>
    public string LibraryName { get; init; } = EspeakNative.Library;
}
