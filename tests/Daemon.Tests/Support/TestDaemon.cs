using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dialtone.Daemon.Tests.Support;

/// <summary>The real daemon on 127.0.0.1 (an ephemeral port) over a SQLite file in a temp directory.</summary>
public sealed class TestDaemon : IAsyncDisposable
{
    private readonly TempDirectory? _ownedData;

    private TestDaemon(WebApplication app, string baseUrl, string dataDirectory, TempDirectory? ownedData)
    {
        App = app;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
        _ownedData = ownedData;
        Client = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public string BaseUrl { get; }

    public string DataDirectory { get; }

    public HttpClient Client { get; }

    public CallService Calls => App.Services.GetRequiredService<CallService>();

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Options for a test daemon: one trunk (so not demo), two accounts, fast callback retries, quiet logs.</summary>
    public static DaemonOptions Options(string dataDirectory) => new()
    {
        Api = new ApiOptions { Listen = "http://127.0.0.1:0", MaxBodyBytes = 8 * 1024, DefaultPageSize = 50, MaxPageSize = 100 },
        Storage = new StorageOptions { DataDirectory = dataDirectory },
        Outbound = new OutboundOptions { AllowLoopback = true },
        Callbacks = new CallbackOptions
        {
            Workers = 4,
            RequestTimeoutSeconds = 10,
            ConnectTimeoutSeconds = 5,
            InitialBackoffSeconds = 0.05,
            MaxBackoffSeconds = 0.25,
            MaxAttempts = 200,
            MaxAgeSeconds = 600,
        },
        Shutdown = new ShutdownOptions { GracePeriodSeconds = 2 },
        Logging = new LoggingOptions { Level = "Warning", Format = "json" },
        Accounts =
        [
            new AccountOptions { Sid = TestAccounts.FirstSid, Name = "first", Keys = [TestAccounts.FirstKey, TestAccounts.FirstSecondKey] },
            new AccountOptions { Sid = TestAccounts.OtherSid, Name = "other", Keys = [TestAccounts.OtherKey], MaxQueuedCalls = 2, MaxActiveCalls = 1 },
        ],
        Trunks = [new TrunkOptions { Name = "test", Host = "127.0.0.1", Port = 5090 }],
        Sip = new SipOptions { ListenAddress = "127.0.0.1", Port = 0 },
        Rtp = new RtpOptions { ListenAddress = "127.0.0.1" },
    };

    /// <param name="sipDialer">True: calls go out over SIP and RTP as in production (the trunk is <see cref="TrunkOptions"/> "test"; point it at a peer).</param>
    public static async Task<TestDaemon> StartAsync(
        Action<DaemonOptions>? configure = null,
        ICallDialer? dialer = null,
        string? dataDirectory = null,
        ILoggerProvider? logs = null,
        bool sipDialer = false)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var directory = dataDirectory ?? owned!.Path;
        var options = Options(directory);
        configure?.Invoke(options);
        var app = DaemonHost.Build(options, services =>
        {
            // A test that gives no dialer gets none (calls stay queued), not the SIP dialer, so the
            // API, storage and callback tests need no SIP or RTP ports.
            if (!sipDialer)
                services.RemoveAll<ICallDialer>();
            if (dialer is not null)
                services.AddSingleton(dialer);
            if (logs is not null)
                services.AddSingleton(logs);
        });
        await app.StartAsync();
        var baseUrl = app.Urls.First();
        return new TestDaemon(app, baseUrl, directory, owned);
    }

    /// <summary>A request with the first account's key in the seed's <c>apikey</c> header.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string? apiKey = TestAccounts.FirstKey)
    {
        var request = new HttpRequestMessage(method, path);
        if (apiKey is not null)
            request.Headers.Add("apikey", apiKey);
        return request;
    }

    public static HttpRequestMessage Form(string path, IEnumerable<KeyValuePair<string, string>> fields, string? apiKey = TestAccounts.FirstKey)
    {
        var request = Request(HttpMethod.Post, path, apiKey);
        request.Content = new FormUrlEncodedContent(fields);
        return request;
    }

    public static HttpRequestMessage Json(string path, string json, string? apiKey = TestAccounts.FirstKey)
    {
        var request = Request(HttpMethod.Post, path, apiKey);
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return request;
    }

    public static AuthenticationHeaderValue Basic(string accountSid, string key) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{accountSid}:{key}")));

    /// <summary>Sends and parses the JSON reply.</summary>
    public async Task<(int Status, JsonElement Body)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            return ((int)response.StatusCode, body);
        }
    }

    /// <summary>Creates a call with form fields through /v1/calls and returns its sid.</summary>
    public async Task<string> CreateCallAsync(params (string Name, string Value)[] fields)
    {
        var (status, body) = await SendAsync(Form("/v1/calls", fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        Assert.True(status == 201, $"expected 201, got {status}: {body}");
        return body.GetProperty("sid").GetString()!;
    }

    /// <summary>Waits (bounded) until the stored call is final.</summary>
    public async Task<CallRecord> WaitUntilFinalAsync(string sid, string accountSid = TestAccounts.FirstSid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var call = Calls.Get(accountSid, sid);
            if (call is { IsFinal: true })
                return call;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"call {sid} is still {call?.Status}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            await App.StopAsync(stop.Token);
        await App.DisposeAsync();
        _ownedData?.Dispose();
    }
}
