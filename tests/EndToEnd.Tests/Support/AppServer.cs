using System.Collections.Concurrent;
using Dialtone.Daemon.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Dialtone.EndToEnd.Tests.Support;

/// <summary>
/// The customer's web server in the tests: serves voice-application documents and audio files by
/// path on 127.0.0.1, and records every request the daemon made (to check what the app was told).
/// </summary>
public sealed class AppServer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (string ContentType, byte[] Body)> _routes = new();
    private readonly ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Fields)> _requests = new();
    private WebApplication? _app;

    public int Port { get; } = FreePort.Next();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<(string Path, IReadOnlyDictionary<string, string> Fields)> Requests => [.. _requests];

    public string Document(string path, string xml)
    {
        _routes[path] = ("text/xml", System.Text.Encoding.UTF8.GetBytes(xml));
        return BaseUrl + path;
    }

    public string File(string path, string contentType, byte[] body)
    {
        _routes[path] = (contentType, body);
        return BaseUrl + path;
    }

    public static async Task<AppServer> StartAsync()
    {
        var server = new AppServer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(server.BaseUrl);
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server._app = app;
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in context.Request.Query)
            fields[key] = value.ToString();
        if (context.Request.HasFormContentType)
        {
            foreach (var (key, value) in await context.Request.ReadFormAsync())
                fields[key] = value.ToString();
        }
        _requests.Enqueue((context.Request.Path.Value ?? "", fields));
        if (!_routes.TryGetValue(context.Request.Path.Value ?? "", out var route))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.ContentType = route.ContentType;
        await context.Response.Body.WriteAsync(route.Body);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
