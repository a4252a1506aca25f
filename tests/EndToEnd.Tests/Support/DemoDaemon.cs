using System.Text.Json;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.EndToEnd.Tests.Support;

/// <summary>A daemon process in demo mode (its own loopback carrier), with its API key and helpers to place and follow calls.</summary>
public sealed class DemoDaemon : IAsyncDisposable
{
    private readonly TempDirectory _directory;

    private DemoDaemon(TempDirectory directory, DaemonProcess process, string apiKey, string configFile)
    {
        _directory = directory;
        Process = process;
        ApiKey = apiKey;
        ConfigFile = configFile;
        Http = new HttpClient { BaseAddress = new Uri(process.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("apikey", apiKey);
    }

    public DaemonProcess Process { get; private set; }

    public string ApiKey { get; }

    public string ConfigFile { get; }

    public HttpClient Http { get; private set; }

    public string BaseUrl => Process.BaseUrl;

    public static async Task<DemoDaemon> StartAsync(string extraConfig = "")
    {
        var directory = new TempDirectory();
        string config = directory.File("dialtone.json");
        // Demo mode with the SIP port moved off 5060 (free or not) and text logs for readable failures.
        await File.WriteAllTextAsync(config, $$"""
            {
              "Sip": { "Port": 0 },
              "Logging": { "Level": "Information", "Format": "text" },
              "Shutdown": { "GracePeriodSeconds": 2 },
              "Callbacks": { "InitialBackoffSeconds": 0.2, "MaxBackoffSeconds": 1 }{{extraConfig}}
            }
            """);
        string data = Path.Combine(directory.Path, "data");
        var process = await DaemonProcess.StartAsync(config, data);
        string key = (await File.ReadAllLinesAsync(Path.Combine(data, "demo-account")))[1];
        return new DemoDaemon(directory, process, key, config);
    }

    /// <summary>Kills the process (SIGKILL) and starts a new one on the same config, data and port.</summary>
    public async Task KillAndRestartAsync()
    {
        Process.Kill();
        int port = new Uri(Process.BaseUrl).Port;
        await Process.DisposeAsync();
        Process = await DaemonProcess.StartAsync(ConfigFile, Process.DataDirectory, port);
    }

    /// <summary>POSTs a call (form-encoded, the seed's parameter names) and returns its sid.</summary>
    public Task<string> PlaceCallAsync(params (string Name, string Value)[] fields) => CallsApiClient.PlaceCallAsync(Http, fields);

    /// <summary>Waits until the call reaches a final status; returns its JSON.</summary>
    public Task<JsonElement> WaitForEndAsync(string sid, TimeSpan? timeout = null) => CallsApiClient.WaitForEndAsync(Http, sid, Process, timeout);

    /// <summary>What the demo carrier reports of its calls (GET /demo/carrier).</summary>
    public async Task<string> CarrierReportAsync()
    {
        using var plain = new HttpClient { BaseAddress = new Uri(Process.BaseUrl) };
        return await plain.GetStringAsync("/demo/carrier");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        _directory.Dispose();
    }
}
