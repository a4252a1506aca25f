namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>
/// A &lt;Play&gt; file opened for playback: read <see cref="Body"/> as it arrives (from the cache, or
/// from the network while the cache keeps a copy). Dispose when done.
/// </summary>
public sealed class MediaStream(Uri url, string? contentType, MediaFormat format, Stream body, bool fromCache) : IDisposable
{
    public Uri Url { get; } = url;

    public string? ContentType { get; } = contentType;

    public MediaFormat Format { get; } = format;

    public Stream Body { get; } = body;

    /// <summary>True when no bytes are being downloaded (a fresh hit or a 304 revalidation).</summary>
    public bool FromCache { get; } = fromCache;

    public void Dispose() => Body.Dispose();
}
