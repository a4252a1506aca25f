using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace Dialtone.Daemon.Demo;

/// <summary>
/// Demo mode's extra routes (no API key: they stand for the customer's own web server):
/// the two sample applications, a status-callback receiver and its log, and what the demo carrier
/// saw of each call (digits heard, recording file).
/// </summary>
public static class DemoEndpoints
{
    public const string WebhookPath = "/demo/webhook";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods(DemoApplications.HelloWorldPath, ["GET", "POST"], () => Results.Text(DemoApplications.HelloWorld, "text/xml", Encoding.UTF8));
        app.MapMethods(DemoApplications.PinPath, ["GET", "POST"], () => Results.Text(DemoApplications.Pin, "text/xml", Encoding.UTF8));
        app.MapMethods(WebhookPath, ["GET", "POST"], ReceiveAsync);
        app.MapGet(WebhookPath + "/log", ([FromServices] DemoWebhookLog log) => Results.Text(string.Join('\n', log.Entries) + "\n", "text/plain", Encoding.UTF8));
        app.MapGet("/demo/carrier", ([FromServices] DemoCarrierHolder holder) => Results.Text(Describe(holder.Carrier), "text/plain", Encoding.UTF8));
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, [FromServices] DemoWebhookLog log, [FromServices] TimeProvider time)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in context.Request.Query)
            fields.Add(new(key, value.ToString()));
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
            foreach (var (key, value) in form)
                fields.Add(new(key, value.ToString()));
        }
        log.Add(time.GetUtcNow(), context.Request.Method, fields);
        return Results.Ok();
    }

    private static string Describe(DemoCarrier? carrier)
    {
        if (carrier is null)
            return "the demo carrier is not running (a trunk is configured)\n";
        var text = new StringBuilder();
        text.Append("demo carrier at sip:").Append(carrier.EndPoint).Append('\n');
        foreach (DemoCallReport call in carrier.RecentCalls)
        {
            text.Append($"{call.EndedAt:yyyy-MM-ddTHH:mm:ssZ} to={call.Dialed} from={call.Caller} {call.Outcome} digits='{call.Digits}' recording={call.RecordingPath ?? "none"}\n");
        }
        return text.ToString();
    }
}

/// <summary>The demo carrier when it runs (null with a configured trunk).</summary>
public sealed class DemoCarrierHolder
{
    public DemoCarrier? Carrier { get; set; }
}
