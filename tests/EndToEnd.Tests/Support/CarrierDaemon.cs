using System.Text.Json;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.EndToEnd.Tests.Support;

/// <summary>A daemon process whose trunk is a real carrier (kamailio with digest auth), with one account.</summary>
public sealed class CarrierDaemon : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    public const string ApiKey = "e2e-key-0123456789abcdef";

    private readonly TempDirectory _directory;

    private CarrierDaemon(TempDirectory directory, DaemonProcess process)
    {
        _directory = directory;
        Process = process;
        Http = new HttpClient { BaseAddress = new Uri(process.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("apikey", ApiKey);
    }

    public DaemonProcess Process { get; }

    public HttpClient Http { get; }

    public static async Task<CarrierDaemon> StartAsync(int trunkPort, string password)
    {
        var directory = new TempDirectory();
        string config = directory.File("dialtone.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Sip": { "ListenAddress": "127.0.0.1", "Port": 0 },
              "Rtp": { "ListenAddress": "127.0.0.1", "AdvertisedAddress": "127.0.0.1" },
              "Outbound": { "AllowLoopback": true },
              "Logging": { "Level": "Information", "Format": "text" },
              "Shutdown": { "GracePeriodSeconds": 2 },
              "Callbacks": { "InitialBackoffSeconds": 0.2, "MaxBackoffSeconds": 1 },
              "Accounts": [ { "Sid": "{{AccountSid}}", "Name": "e2e", "Keys": [ "{{ApiKey}}" ] } ],
              "Trunks": [ { "Name": "carrier", "Host": "127.0.0.1", "Port": {{trunkPort}}, "Username": "dialtone", "Password": "{{password}}", "Cps": 50 } ]
            }
            """);
        var process = await DaemonProcess.StartAsync(config, Path.Combine(directory.Path, "data"));
        return new CarrierDaemon(directory, process);
    }

    /// <summary>POSTs a call (form-encoded, the seed's parameter names) and returns its sid.</summary>
    public Task<string> PlaceCallAsync(params (string Name, string Value)[] fields) => CallsApiClient.PlaceCallAsync(Http, fields);

    /// <summary>Waits until the call reaches a final status; returns its JSON.</summary>
    public Task<JsonElement> WaitForEndAsync(string sid, TimeSpan? timeout = null) => CallsApiClient.WaitForEndAsync(Http, sid, Process, timeout);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        _directory.Dispose();
    }
}
