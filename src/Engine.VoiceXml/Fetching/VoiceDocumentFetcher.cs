using System.Net.Http.Headers;
using System.Text;
using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Fetching;

/// <summary>
/// Fetches voice documents: sends the request, checks status, content type and declared size, and
/// hands back the body as a stream so the reader can start on the first verb at once. Failures are
/// <see cref="VoiceAppException"/>s with a stable code (fetch-failed, timeout, http-status,
/// bad-content-type, too-large, redirect-limit, forbidden-address).
/// </summary>
/// <remarks>
/// Accepted content types: text/xml, application/xml and any application/*+xml (the XML types,
/// RFC 7303); text/html, because PHP and many frameworks label every echoed page text/html unless told
/// otherwise (the seed's hello-world.php is such a page) and Twilio reads those as TwiML too; and a
/// missing Content-Type. Anything else (JSON, audio, text/plain...) is refused: feeding it to the XML
/// reader would only produce a more confusing error.
/// </remarks>
public sealed class VoiceDocumentFetcher
{
    private readonly HttpClient _client;
    private readonly VoiceFetchOptions _options;
    private readonly TimeProvider _time;
    private readonly int _maxDocumentBytes;

    public VoiceDocumentFetcher(HttpClient client, VoiceFetchOptions? options = null, TimeProvider? time = null, int maxDocumentBytes = 64 * 1024)
    {
        _client = client;
        _options = options ?? VoiceFetchOptions.Default;
        _time = time ?? TimeProvider.System;
        _maxDocumentBytes = maxDocumentBytes;
    }

    /// <summary>
    /// The one HttpClient for customer URLs: <paramref name="guard"/> vets every connection, redirects
    /// are bounded, no proxy, no cookies. Timeouts are applied per request by the fetchers, on their
    /// <see cref="TimeProvider"/>, so the client's own timeout is off.
    /// </summary>
    public static HttpClient CreateHttpClient(OutboundAddressGuard guard, VoiceFetchOptions? options = null)
    {
        options ??= VoiceFetchOptions.Default;
        var client = new HttpClient(guard.CreateHandler(options.ConnectTimeout, options.MaxAutomaticRedirections), disposeHandler: true)
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(options.UserAgent);
        return client;
    }

    /// <summary>Builds the HTTP request for <paramref name="request"/> (form body for POST, query for GET).</summary>
    public static HttpRequestMessage BuildRequest(DocumentRequest request)
    {
        HttpRequestMessage message;
        if (request.Method == RequestMethod.Get)
        {
            message = new HttpRequestMessage(HttpMethod.Get, AppendQuery(request.Url, request.Fields));
        }
        else
        {
            message = new HttpRequestMessage(HttpMethod.Post, request.Url)
            {
                Content = new FormUrlEncodedContent(request.Fields),
            };
        }
        return message;
    }

    /// <summary>Adds <paramref name="fields"/> to the URL's query, after any parameters it already has.</summary>
    public static Uri AppendQuery(Uri url, IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        if (fields.Count == 0)
            return url;
        var builder = new UriBuilder(url);
        var query = new StringBuilder(builder.Query.TrimStart('?'));
        foreach (var (key, value) in fields)
        {
            if (query.Length > 0)
                query.Append('&');
            query.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        builder.Query = query.ToString();
        return builder.Uri;
    }

    /// <summary>Sends the request and returns the document with its body still streaming.</summary>
    public async Task<FetchedDocument> FetchAsync(DocumentRequest request, CancellationToken cancellationToken)
    {
        using var message = BuildRequest(request);
        message.Headers.Accept.ParseAdd("text/xml, application/xml;q=0.9, text/html;q=0.5, */*;q=0.1");
        _options.ConfigureRequest?.Invoke(message, request.Fields);
        var response = await SendAsync(_client, message, _options.ResponseTimeout, _time, cancellationToken).ConfigureAwait(false);
        try
        {
            var finalUrl = response.RequestMessage?.RequestUri ?? request.Url;
            CheckStatus(response, finalUrl);
            CheckContentType(response.Content.Headers.ContentType, finalUrl);
            if (response.Content.Headers.ContentLength is { } declared && declared > _maxDocumentBytes)
                throw new VoiceAppException(VoiceAppErrorCode.TooLarge,
                    $"{Describe.Url(finalUrl)} declares {declared} bytes; a document may have at most {_maxDocumentBytes}");
            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var timed = new IdleTimeoutStream(body, _options.ReadIdleTimeout, _time, finalUrl);
            if (response.Content.Headers.ContentLength is { } length && length <= WholeBodyBytes)
                return new FetchedDocument(response, finalUrl, await ReadWholeAsync(timed, (int)length, finalUrl, cancellationToken).ConfigureAwait(false));
            return new FetchedDocument(response, finalUrl, timed);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A body of declared length up to this is read whole before parsing: its server had it ready (it
    /// told the length), so nothing is gained by streaming it, and an in-memory document is parsed
    /// without the async XML reader's 190 KB of buffers. Streaming generators send chunked bodies,
    /// and those are parsed as they arrive.
    /// </summary>
    internal const int WholeBodyBytes = 16 * 1024;

    private static async Task<MemoryStream> ReadWholeAsync(Stream body, int length, Uri url, CancellationToken cancellationToken)
    {
        await using (body.ConfigureAwait(false))
        {
            var bytes = new byte[length];
            var read = 0;
            try
            {
                while (read < length)
                {
                    var got = await body.ReadAsync(bytes.AsMemory(read), cancellationToken).ConfigureAwait(false);
                    if (got == 0)
                        break;
                    read += got;
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw new VoiceAppException(VoiceAppErrorCode.FetchFailed, $"{Describe.Url(url)}: the body was cut off: {ex.Message}", ex);
            }
            // Shorter than declared: the parser reports the document as cut off where it ends.
            return new MemoryStream(bytes, 0, read, writable: false, publiclyVisible: true);
        }
    }

    /// <summary>
    /// Sends with a timeout on the response headers and translates failures into stable codes. Shared
    /// with the media cache so audio fetches fail the same way documents do.
    /// </summary>
    internal static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage message, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var url = message.RequestUri!;
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            return await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new VoiceAppException(VoiceAppErrorCode.Timeout, $"{Describe.Url(url)} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex) when (FindRefusal(ex) is { } refused)
        {
            throw new VoiceAppException(VoiceAppErrorCode.ForbiddenAddress, $"{Describe.Url(url)}: {refused.Message}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new VoiceAppException(VoiceAppErrorCode.FetchFailed, $"{Describe.Url(url)}: {ex.Message}", ex);
        }
    }

    private static OutboundAddressRefusedException? FindRefusal(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is OutboundAddressRefusedException refused)
                return refused;
        }
        return null;
    }

    internal static void CheckStatus(HttpResponseMessage response, Uri url)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and <= 299)
            return;
        if (status is >= 300 and <= 399)
        {
            // SocketsHttpHandler hands back the last 3xx once MaxAutomaticRedirections is used up.
            throw new VoiceAppException(VoiceAppErrorCode.RedirectLimit,
                $"{Describe.Url(url)} answered HTTP {status} after the maximum number of HTTP redirects was followed");
        }
        throw new VoiceAppException(VoiceAppErrorCode.HttpStatus,
            $"{Describe.Url(url)} answered HTTP {status} {response.ReasonPhrase}");
    }

    private static void CheckContentType(MediaTypeHeaderValue? contentType, Uri url)
    {
        var type = contentType?.MediaType;
        if (type is null || IsAcceptedDocumentType(type))
            return;
        throw new VoiceAppException(VoiceAppErrorCode.BadContentType,
            $"{Describe.Url(url)} answered with Content-Type {type}; a voice document must be text/xml, application/xml or text/html");
    }

    /// <summary>True for the media types a voice document may be served with (see the class remarks).</summary>
    public static bool IsAcceptedDocumentType(string mediaType) =>
        mediaType.Equals("text/xml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)
        || (mediaType.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && mediaType.EndsWith("+xml", StringComparison.OrdinalIgnoreCase));
}
