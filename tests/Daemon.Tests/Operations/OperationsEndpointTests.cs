using System.Text.RegularExpressions;
using Dialtone.Daemon.Api;
using Dialtone.Daemon.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dialtone.Daemon.Tests.Operations;

public sealed class OperationsEndpointTests
{
    [Fact]
    public async Task Health_readiness_and_version_answer()
    {
        await using var daemon = await TestDaemon.StartAsync();

        var (health, healthBody) = await daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/healthz", null));
        var (ready, readyBody) = await daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/readyz", null));
        var (version, versionBody) = await daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/version", null));

        Assert.Equal((200, 200, 200), (health, ready, version));
        Assert.Equal("ok", healthBody.GetProperty("status").GetString());
        Assert.Equal(("ready", true, true, false), (readyBody.GetProperty("status").GetString(), readyBody.GetProperty("storage").GetBoolean(),
            readyBody.GetProperty("listening").GetBoolean(), readyBody.GetProperty("draining").GetBoolean()));
        Assert.Equal("dialtone", versionBody.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Metrics_count_calls_by_result_and_callbacks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var dialer = new ScriptedDialer();
        await using var daemon = await TestDaemon.StartAsync(dialer: dialer);
        var busy = await daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550486"), ("statusCallback", receiver.BaseUrl + "/m"));
        await daemon.WaitUntilFinalAsync(busy);
        await receiver.WaitForAsync(1);
        await daemon.SendAsync(TestDaemon.Form("/v1/calls", [new("to", "+15550100")]));
        await Task.Delay(100);

        using var response = await daemon.Client.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("dialtone_calls_created_total 1\n", text);
        Assert.Contains("dialtone_calls_total{result=\"busy\"} 1\n", text);
        Assert.Contains("dialtone_calls_initiated_total 1\n", text);
        Assert.Contains("dialtone_calls_active 0\n", text);
        Assert.Contains("dialtone_calls_queued 0\n", text);
        Assert.Contains("dialtone_callbacks_delivered_total 1\n", text);
        Assert.Contains("dialtone_callbacks_pending 0\n", text);
        Assert.Contains("dialtone_api_errors_total{code=\"missing_parameter\"} 1\n", text);
        Assert.Contains("# TYPE dialtone_calls_per_second gauge\n", text);
        Assert.Matches(new Regex(@"^(# (HELP|TYPE) .+|[a-z_]+(\{[^}]*\})? [-+0-9.eENaIf]+)$"), text.TrimEnd('\n').Split('\n').First());
        Assert.All(text.TrimEnd('\n').Split('\n'), line => Assert.Matches(@"^(# (HELP|TYPE) .+|[a-z_:]+(\{[^}]*\})? [-+0-9.eENaIf]+)$", line));
    }

    [Fact]
    public async Task The_openapi_document_is_served_and_lists_every_route()
    {
        await using var daemon = await TestDaemon.StartAsync();
        using var response = await daemon.Client.GetAsync("/openapi.yaml");
        var yaml = await response.Content.ReadAsStringAsync();
        var routes = daemon.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText!).Distinct().ToList();

        Assert.Equal("application/yaml", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("openapi: 3.", yaml);
        Assert.Equal(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "openapi.yaml")), yaml);
        Assert.NotEmpty(routes);
        foreach (var route in routes)
            Assert.Contains($"\n  {route}:", yaml);
    }

    [Fact]
    public void Every_error_code_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "api-errors.md"));

        foreach (var code in ApiErrorCode.All)
        {
            Assert.Contains($"`{code}`", doc);
            Assert.Contains($"| {ApiErrorCode.HttpStatusOf(code)} |", doc);
        }
    }
}
