namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>
/// A &lt;Play&gt; file opened for playback: read <see cref="Body"/> as it arrives (from the cache, or
/// from the one download of the file that every call opening it meanwhile shares). Dispose when
/// done; that ends only this caller's reading, never the shared download.
/// </summary>
public sealed class MediaStream(Uri url, string? contentType, MediaFormat format, Stream body, bool fromCache) : IDisposable
{
    public Uri Url { get; } = url;

    public string? ContentType { get; } = contentType;

    public MediaFormat Format { get; } = format;

    public Stream Body { get; } = body;

    /// <summary>
    /// True when <see cref="Body"/> is the complete cached copy (a fresh hit or a 304 revalidation): a
    /// <see cref="MemoryStream"/> over the array the cache holds, so callers may share what they
    /// derive from it. False while the body is still downloading.
    /// </summary>
    public bool FromCache { get; } = fromCache;

    public void Dispose() => Body.Dispose();
}
