using System.Globalization;
using System.Net.Http.Headers;

namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>
/// What a response allows a cache to do (RFC 9111): whether it may be stored, how long it stays
/// fresh, and how to revalidate it once stale.
/// </summary>
internal readonly record struct CacheDirectives(bool MayStore, TimeSpan FreshFor, string? ETag, DateTimeOffset? LastModified)
{
    public bool CanRevalidate => ETag is not null || LastModified is not null;

    public static CacheDirectives From(HttpResponseMessage response)
    {
        var headers = response.Headers;
        var content = response.Content.Headers;
        var cacheControl = headers.CacheControl;
        var etag = headers.ETag?.ToString();
        var lastModified = content.LastModified;
        var mayStore = !(cacheControl?.NoStore ?? false);
        // RFC 9111 §4.1: "Vary: *" can never be matched by a later request.
        if (headers.Vary.Contains("*"))
            mayStore = false;

        TimeSpan? lifetime = null;
        // RFC 9111 §4.2.1: s-maxage (we are a shared cache) wins over max-age, which wins over Expires.
        if (cacheControl?.SharedMaxAge is { } shared)
            lifetime = shared;
        else if (cacheControl?.MaxAge is { } maxAge)
            lifetime = maxAge;
        else if (content.Expires is { } expires)
            lifetime = expires - (headers.Date ?? DateTimeOffset.UtcNow);
        // RFC 9111 §5.2.2.4 no-cache / §5.2.2.2 must-revalidate once stale: store, but check every use.
        if ((cacheControl?.NoCache ?? false) || lifetime is null)
            lifetime = TimeSpan.Zero;
        // RFC 9111 §4.2.3: time already spent in caches upstream counts against freshness.
        if (headers.Age is { } age)
            lifetime -= age;
        if (lifetime < TimeSpan.Zero)
            lifetime = TimeSpan.Zero;

        // A response that is never fresh and cannot be revalidated would only ever be downloaded again.
        if (lifetime == TimeSpan.Zero && etag is null && lastModified is null)
            mayStore = false;
        return new CacheDirectives(mayStore, lifetime.Value, etag, lastModified);
    }

    public void AddValidators(HttpRequestMessage request)
    {
        if (ETag is not null && EntityTagHeaderValue.TryParse(ETag, out var tag))
            request.Headers.IfNoneMatch.Add(tag);
        if (LastModified is { } lastModified)
            request.Headers.IfModifiedSince = lastModified;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"store={MayStore} fresh={FreshFor.TotalSeconds}s etag={ETag} lm={LastModified}");
}
