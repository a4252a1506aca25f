using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Dialtone.LoadDriver.Receiving;

/// <summary>
/// The customer's side of the calls: a Kestrel listener on 127.0.0.1 that takes the status callbacks
/// (POST form or GET query at <c>/callbacks</c>) and serves the audio the media runs play
/// (<c>/media/tone-N.wav</c>). It answers 204 at once and does the bookkeeping in memory.
/// </summary>
public sealed class CallbackReceiver : IAsyncDisposable
{
    private const int MaxSeconds = 7200;
    private readonly WebApplication _app;
    private readonly CallTraceBook _book;
    private readonly bool _keepFields;
    private readonly ConcurrentDictionary<int, byte[]> _tones = new();
    private readonly long[] _perSecond = new long[MaxSeconds];
    private long _origin;
    private long _total;
    private long _unknown;
    private long _first;
    private long _last;

    private CallbackReceiver(WebApplication app, CallTraceBook book, bool keepFields)
    {
        _app = app;
        _book = book;
        _keepFields = keepFields;
        _origin = Stopwatch.GetTimestamp();
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:41234, once started.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Callbacks received, including repeats and ones for calls not of this run.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Callbacks whose To matched no call of this run.</summary>
    public long Unknown => Interlocked.Read(ref _unknown);

    /// <summary>Monotonic timestamps of the first and last callback (0 when none).</summary>
    public (long First, long Last) Span => (Interlocked.Read(ref _first), Interlocked.Read(ref _last));

    /// <param name="listen">host:port to listen on; port 0 takes a free one.</param>
    /// <param name="keepFields">Keep every callback's fields (scenario checks); load runs keep times only.</param>
    public static async Task<CallbackReceiver> StartAsync(string listen, CallTraceBook book, bool keepFields)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://" + listen);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxConcurrentConnections = 10_000;
        });
        var app = builder.Build();
        var receiver = new CallbackReceiver(app, book, keepFields);
        app.MapPost("/callbacks", receiver.ReceiveAsync);
        app.MapGet("/callbacks", receiver.ReceiveAsync);
        app.MapGet("/media/tone-{seconds:int}.wav", (int seconds, HttpContext context) =>
        {
            if (seconds is < 1 or > 3600)
                return Results.NotFound();
            // Cacheable, as a prompt on a web server or a bucket is: the daemon downloads it once.
            context.Response.Headers.CacheControl = "public, max-age=3600";
            context.Response.Headers.ETag = $"\"tone-{seconds}\"";
            return Results.Bytes(receiver._tones.GetOrAdd(seconds, ToneWave.Create), "audio/wav");
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseUrl = address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        return receiver;
    }

    /// <summary>Restarts the per-second counts (the run's first request).</summary>
    public void MarkStart() => Interlocked.Exchange(ref _origin, Stopwatch.GetTimestamp());

    /// <summary>Callbacks per whole second since <see cref="MarkStart"/>, up to <paramref name="seconds"/>.</summary>
    public long[] PerSecond(int seconds) => _perSecond.AsSpan(0, Math.Clamp(seconds, 0, MaxSeconds)).ToArray();

    private async Task ReceiveAsync(HttpContext context)
    {
        var now = Stopwatch.GetTimestamp();
        var request = context.Request;
        var fields = HttpMethods.IsPost(request.Method)
            ? FormFields.Parse(await FormFields.ReadBodyAsync(request.Body, context.RequestAborted).ConfigureAwait(false))
            : FormFields.Parse(request.QueryString.Value ?? "");
        string? Field(string name)
        {
            foreach (var f in fields)
            {
                if (f.Key == name)
                    return f.Value;
            }
            return null;
        }

        Interlocked.Increment(ref _total);
        Interlocked.CompareExchange(ref _first, now, 0);
        InterlockedMax(ref _last, now);
        var second = (int)Stopwatch.GetElapsedTime(Interlocked.Read(ref _origin), now).TotalSeconds;
        if (second is >= 0 and < MaxSeconds)
            Interlocked.Increment(ref _perSecond[second]);

        var trace = _book.Find(Field("To"));
        if (trace is null)
        {
            Interlocked.Increment(ref _unknown);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        var kept = _keepFields ? new ReceivedCallback(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", fields) : null;
        trace.Record(Field("CallStatus") ?? "", now, kept, Field("CallResult"), Field("SipResponseCode"), Field("ErrorCode"));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
