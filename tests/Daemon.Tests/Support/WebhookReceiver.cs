using System.Collections.Concurrent;
using Dialtone.Daemon.Callbacks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 that records every request: the customer's status-callback
/// endpoint in the tests. It answers 200 unless <see cref="Respond"/> says otherwise, and can be
/// stopped and started again on the same port (a receiver that is down for a while).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private WebApplication? _app;

    private WebhookReceiver(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>Decides the status code of each request (default: 200).</summary>
    public Func<ReceivedRequest, int> Respond { get; set; } = _ => 200;

    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    public static async Task<WebhookReceiver> StartAsync(int? port = null)
    {
        var receiver = new WebhookReceiver(port ?? FreePort.Next());
        await receiver.StartAgainAsync();
        return receiver;
    }

    /// <summary>A receiver whose port is chosen but which does not listen yet (connections are refused).</summary>
    public static WebhookReceiver NotStarted() => new(FreePort.Next());

    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseUrl);
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        _app = app;
    }

    public async Task StopAsync()
    {
        if (_app is null)
            return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var query = new List<KeyValuePair<string, string>>();
        if (request.QueryString.HasValue)
            query.AddRange(FormEncoding.Decode(request.QueryString.Value!.TrimStart('?')));
        var form = new List<KeyValuePair<string, string>>();
        if (request.Method == "POST")
        {
            using var reader = new StreamReader(request.Body);
            form.AddRange(FormEncoding.Decode(await reader.ReadToEndAsync()));
        }
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var url = $"{request.Scheme}://{request.Host}{request.Path}{request.QueryString}";
        var received = new ReceivedRequest(request.Method, url, query, form, headers, 0);
        var status = Respond(received);
        _requests.Enqueue(received with { StatusReturned = status });
        _arrived.Release();
        context.Response.StatusCode = status;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were received (bounded).</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (_requests.Count < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"expected {count} requests, got {_requests.Count}");
            await _arrived.WaitAsync(left);
        }
        return Requests;
    }

    /// <summary>Requests that got a 2xx, in arrival order.</summary>
    public IReadOnlyList<ReceivedRequest> Accepted => Requests.Where(r => r.StatusReturned is >= 200 and < 300).ToList();

    public async ValueTask DisposeAsync() => await StopAsync();
}
