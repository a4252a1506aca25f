using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Dialtone.LoadDriver.Receiving;

namespace Dialtone.LoadDriver.Driving;

/// <summary>Sends <c>POST /v1/calls</c> over a pool of keep-alive HTTP/1.1 connections and notes the outcome in the call's trace.</summary>
public sealed class CallPoster : IDisposable
{
    private static readonly MediaTypeHeaderValue FormType = new("application/x-www-form-urlencoded");
    private readonly HttpClient _http;
    private readonly Uri _calls;
    private readonly string _apiKey;

    public CallPoster(string apiBaseUrl, string apiKey, int maxConnections, TimeSpan timeout)
    {
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AllowAutoRedirect = false,
        })
        { Timeout = timeout };
        _calls = new Uri(apiBaseUrl.TrimEnd('/') + "/v1/calls");
        _apiKey = apiKey;
    }

    public HttpClient Http => _http;

    public async Task PostAsync(CallTrace trace, CallRequestForm form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _calls);
        request.Headers.TryAddWithoutValidation("apikey", _apiKey);
        var content = new ByteArrayContent(form.BodyFor(trace.To));
        content.Headers.ContentType = FormType;
        request.Content = content;
        trace.RequestedAt = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            trace.RepliedAt = Stopwatch.GetTimestamp();
            trace.HttpStatus = (int)response.StatusCode;
            if (trace.HttpStatus == 201)
                trace.Sid = SidOf(body);
            else
                trace.RequestError = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            trace.RepliedAt = Stopwatch.GetTimestamp();
            trace.RequestError = e.GetType().Name + ": " + e.Message;
        }
    }

    /// <summary>The <c>sid</c> of a 201 reply, found without a JSON tree (it is the reply's first field).</summary>
    private static string? SidOf(byte[] body)
    {
        var span = body.AsSpan();
        var key = "\"sid\":\""u8;
        var at = span.IndexOf(key);
        if (at < 0)
            return null;
        var rest = span[(at + key.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? null : Encoding.ASCII.GetString(rest[..end]);
    }

    public void Dispose() => _http.Dispose();
}
