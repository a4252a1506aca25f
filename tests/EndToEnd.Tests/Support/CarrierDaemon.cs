using System.Net.Http.Json;
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

    public async Task<string> PlaceCallAsync(params (string Name, string Value)[] fields)
    {
        using var reply = await Http.PostAsync("/v1/calls", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        string body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == System.Net.HttpStatusCode.Created, $"POST /v1/calls: {(int)reply.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("sid").GetString()!;
    }

    public async Task<JsonElement> WaitForEndAsync(string sid, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var call = await Http.GetFromJsonAsync<JsonElement>($"/v1/calls/{sid}");
            string status = call.GetProperty("status").GetString()!;
            if (status is "completed" or "busy" or "no-answer" or "failed" or "canceled")
                return call;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"call {sid} still {status} after the timeout:\n{Process.Output}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
        _directory.Dispose();
    }
}
