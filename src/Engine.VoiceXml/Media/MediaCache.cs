using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Fetching;

namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>
/// Downloads the WAV and MP3 files of &lt;Play&gt; and keeps them in memory, bounded by total bytes
/// (least recently used first out) and per file, honouring the server's caching rules (RFC 9111):
/// max-age/s-maxage/Expires freshness, no-store, no-cache, and revalidation with If-None-Match /
/// If-Modified-Since so an unchanged file costs a 304 instead of a download.
/// </summary>
/// <remarks>
/// Responses marked private are cached too: no credentials or cookies are ever sent, so every
/// request for a URL gets the same bytes, whoever's call asks. Decoding is not done here; the
/// caller hands <see cref="MediaStream.Body"/> to the audio decoder, which can start while the
/// download continues.
/// <para>
/// One download per URL at a time (request collapsing, RFC 9111 §4): every call that opens a URL
/// while it is being fetched joins that fetch and reads the one body through a
/// <see cref="SharedDownloadReader"/>. The body is received as fast as the server sends it, not
/// as fast as the calls play it, so the file is in the cache after one download time rather than
/// one playback time, and a burst of calls starting the same prompt costs the server one GET.
/// </para>
/// Thread-safe.
/// </remarks>
public sealed class MediaCache
{
    private readonly HttpClient _client;
    private readonly MediaCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, MediaEntry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SharedDownload> _downloads = new(StringComparer.Ordinal);
    private readonly LinkedList<MediaEntry> _recency = new();
    private readonly Lock _lock = new();
    private long _bytes;
    private long _hits;
    private long _revalidations;
    private long _misses;
    private long _joined;
    private long _evictions;

    /// <param name="client">The client for customer URLs (built with an <see cref="OutboundAddressGuard"/>).</param>
    public MediaCache(HttpClient client, MediaCacheOptions? options = null, TimeProvider? time = null)
    {
        _client = client;
        _options = options ?? MediaCacheOptions.Default;
        _time = time ?? TimeProvider.System;
    }

    public MediaCacheStatistics Statistics
    {
        get
        {
            lock (_lock)
                return new MediaCacheStatistics(_hits, _revalidations, _misses, _joined, _evictions, _entries.Count, _bytes);
        }
    }

    /// <summary>The whole file, from the cache when allowed, else downloaded (and cached when allowed).</summary>
    public async Task<MediaContent> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var media = await OpenAsync(url, cancellationToken).ConfigureAwait(false);
        if (media.Body is MemoryStream { } memory && memory.TryGetBuffer(out var segment))
            return new MediaContent(media.Url, media.ContentType, media.Format, segment);
        var bytes = new MemoryStream();
        await media.Body.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
        var data = bytes.ToArray();
        return new MediaContent(media.Url, media.ContentType, media.Format == MediaFormat.Unknown ? Sniff(data) : media.Format, data);
    }

    /// <summary>
    /// Opens the file for playback: a fresh cached copy is returned at once (a <see cref="MemoryStream"/>
    /// over the cached array, <see cref="MediaStream.FromCache"/> true); otherwise the request goes out
    /// (conditional when a stale copy can be revalidated), or the one already in flight for this URL is
    /// joined, and the body streams to the caller while it downloads, entering the cache once the
    /// last byte has arrived.
    /// </summary>
    /// <exception cref="VoiceAppException">fetch-failed, timeout, http-status, bad-content-type, too-large, forbidden-address.</exception>
    public async Task<MediaStream> OpenAsync(Uri url, CancellationToken cancellationToken)
    {
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            throw new VoiceAppException(VoiceAppErrorCode.InvalidUrl, $"'{url}' is not an http or https URL");
        var key = url.AbsoluteUri;
        MediaEntry? stale;
        SharedDownload? download;
        bool joined;
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out stale))
            {
                Touch(stale);
                if (_time.GetUtcNow() < stale.FreshUntil)
                {
                    _hits++;
                    return FromEntry(stale);
                }
            }
            joined = _downloads.TryGetValue(key, out download);
            if (download is null)
            {
                download = new SharedDownload(key, url);
                _downloads.Add(key, download);
            }
        }
        if (!joined)
            Start(download, stale);

        var media = await AwaitOpenedAsync(download, joined, cancellationToken).ConfigureAwait(false);
        if (media is not null)
        {
            if (joined)
            {
                lock (_lock)
                    _joined++;
            }
            return media;
        }
        // The response we joined may not be stored, so it may not serve this request either
        // (RFC 9111 §4): send our own, unshared.
        var own = new SharedDownload(key, url);
        Start(own, stale);
        return (await AwaitOpenedAsync(own, joined: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Runs the fetch on the thread pool without the starting call's execution context: the download
    /// serves every call that joins it, so it must not carry (or log under) the first one's scope.
    /// </summary>
    private void Start(SharedDownload download, MediaEntry? stale)
    {
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(() => FetchAsync(download, stale));
    }

    /// <summary>The caller's stream once the headers are in; null when a joined response is not shareable.</summary>
    private static async Task<MediaStream?> AwaitOpenedAsync(SharedDownload download, bool joined, CancellationToken cancellationToken)
    {
        // The caller's token ends only its own wait: the download goes on for the others.
        await download.Opened.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (download.Revalidated is { } entry)
            return FromEntry(entry);
        if (!download.BodyStarted)
            throw download.CopyOfError();
        if (joined && !download.Shareable)
            return null;
        return new MediaStream(download.FinalUrl, download.ContentType, download.Format, download.OpenReader(), fromCache: false);
    }

    /// <summary>
    /// Sends the request and receives the body into <paramref name="download"/>, in the background:
    /// the download belongs to every call that joined it, so no caller's token cancels it. It is
    /// bounded on its own instead: the response timeout, the idle timeout between reads, and the
    /// per-item size. When every reader has gone (the calls hung up) it still runs to its end, because
    /// it is bounded, its bytes are what the next call playing the prompt wants, and stopping it
    /// would race with a call joining just then.
    /// </summary>
    private async Task FetchAsync(SharedDownload download, MediaEntry? stale)
    {
        HttpResponseMessage? response = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, download.Url);
            request.Headers.Accept.ParseAdd("audio/wav, audio/mpeg, audio/*;q=0.9, */*;q=0.1");
            stale?.Directives.AddValidators(request);
            response = await VoiceDocumentFetcher.SendAsync(_client, request, _options.ResponseTimeout, _time, CancellationToken.None).ConfigureAwait(false);
            var finalUrl = response.RequestMessage?.RequestUri ?? download.Url;
            if (response.StatusCode == System.Net.HttpStatusCode.NotModified && stale is not null)
            {
                // RFC 9111 §4.3.4: a 304 freshens the stored response with the new headers.
                var refreshed = CacheDirectives.From(response);
                lock (_lock)
                {
                    stale.Directives = stale.Directives with { FreshFor = refreshed.FreshFor, ETag = refreshed.ETag ?? stale.Directives.ETag };
                    stale.FreshUntil = _time.GetUtcNow() + refreshed.FreshFor;
                    _revalidations++;
                    Release(download);
                }
                download.NotModified(stale);
                return;
            }
            VoiceDocumentFetcher.CheckStatus(response, finalUrl);
            var contentType = response.Content.Headers.ContentType?.MediaType;
            var format = FormatOf(contentType, finalUrl);
            var declared = response.Content.Headers.ContentLength;
            if (declared > _options.MaxItemBytes)
                throw new VoiceAppException(VoiceAppErrorCode.TooLarge, $"{finalUrl.GetLeftPart(UriPartial.Path)} declares {declared} bytes; a media file may have at most {_options.MaxItemBytes}");
            var directives = CacheDirectives.From(response);
            var body = await response.Content.ReadAsStreamAsync(CancellationToken.None).ConfigureAwait(false);
            lock (_lock)
            {
                _misses++;
                // Not shareable: let the next request for this URL start its own.
                if (!directives.MayStore)
                    Release(download);
            }
            download.BeginBody(finalUrl, contentType, format, directives.MayStore, declared, _options.MaxItemBytes);
            byte[] bytes;
            using (var timed = new IdleTimeoutStream(body, _options.ReadIdleTimeout, _time, finalUrl))
                bytes = await download.ReceiveAsync(timed).ConfigureAwait(false);
            // Stored before any reader sees the end, so a call that has played the file to the end
            // finds it cached; and in the same lock as the release, so a request arriving now either
            // joins this download or hits the entry, never downloads again.
            lock (_lock)
            {
                Release(download);
                if (directives.MayStore)
                    StoreLocked(download.Key, new MediaContent(finalUrl, contentType, format == MediaFormat.Unknown ? Sniff(bytes) : format, bytes), directives);
            }
            download.Complete();
        }
        catch (Exception exception)
        {
            // Released first, so the next request after a failure tries again.
            lock (_lock)
                Release(download);
            download.Fail(download.Translate(exception));
        }
        finally
        {
            response?.Dispose();
        }
    }

    /// <summary>Forgets <paramref name="download"/> as the one in flight for its URL (if it still is).</summary>
    private void Release(SharedDownload download)
    {
        if (_downloads.TryGetValue(download.Key, out var current) && current == download)
            _downloads.Remove(download.Key);
    }

    private static MediaStream FromEntry(MediaEntry entry)
    {
        var content = entry.Content;
        var segment = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content.Bytes, out var array) ? array : new ArraySegment<byte>(content.Bytes.ToArray());
        var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false, publiclyVisible: true);
        return new MediaStream(content.Url, content.ContentType, content.Format, stream, fromCache: true);
    }

    private void StoreLocked(string key, MediaContent content, CacheDirectives directives)
    {
        if (content.Bytes.Length > _options.MaxTotalBytes)
            return;
        if (_entries.Remove(key, out var old))
            Forget(old);
        var entry = new MediaEntry(key, content, directives, _time.GetUtcNow() + directives.FreshFor);
        entry.Node = _recency.AddFirst(entry);
        _entries[key] = entry;
        _bytes += entry.Size;
        while (_bytes > _options.MaxTotalBytes && _recency.Last is { } last && last.Value != entry)
        {
            _entries.Remove(last.Value.Key);
            Forget(last.Value);
            _evictions++;
        }
    }

    private void Forget(MediaEntry entry)
    {
        if (entry.Node is not null)
            _recency.Remove(entry.Node);
        entry.Node = null;
        _bytes -= entry.Size;
    }

    private void Touch(MediaEntry entry)
    {
        if (entry.Node is null || _recency.First == entry.Node)
            return;
        _recency.Remove(entry.Node);
        _recency.AddFirst(entry.Node);
    }

    /// <summary>
    /// The format the Content-Type names. Twilio's &lt;Play&gt; list: audio/mpeg, audio/wav, audio/wave,
    /// audio/x-wav; also audio/mp3 and audio/vnd.wave, which servers send. Generic types
    /// (application/octet-stream, a missing header) are left for the decoder to sniff; anything else
    /// (HTML error pages, JSON) is refused.
    /// </summary>
    public static MediaFormat FormatOf(string? contentType, Uri url)
    {
        switch (contentType?.ToLowerInvariant())
        {
            case null or "application/octet-stream" or "binary/octet-stream":
                return MediaFormat.Unknown;
            case "audio/wav" or "audio/wave" or "audio/x-wav" or "audio/vnd.wave":
                return MediaFormat.Wav;
            case "audio/mpeg" or "audio/mp3" or "audio/mpeg3" or "audio/x-mpeg-3":
                return MediaFormat.Mp3;
            default:
                throw new VoiceAppException(VoiceAppErrorCode.BadContentType,
                    $"{url.GetLeftPart(UriPartial.Path)} answered with Content-Type {contentType}; <Play> takes WAV or MP3");
        }
    }

    /// <summary>Recognises a file by its first bytes: RIFF....WAVE, an ID3 tag, or an MPEG audio frame sync.</summary>
    public static MediaFormat Sniff(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length >= 12 && bytes[..4].SequenceEqual("RIFF"u8) && bytes[8..12].SequenceEqual("WAVE"u8))
            return MediaFormat.Wav;
        if (bytes.Length >= 3 && bytes[..3].SequenceEqual("ID3"u8))
            return MediaFormat.Mp3;
        if (bytes.Length >= 2 && bytes[0] == 0xFF && (bytes[1] & 0xE0) == 0xE0)
            return MediaFormat.Mp3;
        return MediaFormat.Unknown;
    }
}
