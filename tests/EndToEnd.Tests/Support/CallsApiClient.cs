using System.Net.Http.Json;
using System.Text.Json;

namespace Dialtone.EndToEnd.Tests.Support;

/// <summary>Placing and following calls over a daemon's REST API (the HttpClient carries the API key).</summary>
internal static class CallsApiClient
{
    /// <summary>POSTs a call (form-encoded, the seed's parameter names) and returns its sid.</summary>
    public static async Task<string> PlaceCallAsync(HttpClient http, (string Name, string Value)[] fields)
    {
        using var reply = await http.PostAsync("/v1/calls", new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));
        string body = await reply.Content.ReadAsStringAsync();
        Assert.True(reply.StatusCode == System.Net.HttpStatusCode.Created, $"POST /v1/calls: {(int)reply.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>Waits until the call reaches a final status and returns its JSON; on timeout the daemon's output goes into the error.</summary>
    public static async Task<JsonElement> WaitForEndAsync(HttpClient http, string sid, DaemonProcess process, TimeSpan? timeout)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var call = await http.GetFromJsonAsync<JsonElement>($"/v1/calls/{sid}");
            string status = call.GetProperty("status").GetString()!;
            if (status is "completed" or "busy" or "no-answer" or "failed" or "canceled")
                return call;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"call {sid} still {status} after the timeout:\n{process.Output}");
            await Task.Delay(100);
        }
    }
}
