using Dialtone.Daemon.Operations;
using Microsoft.AspNetCore.Mvc;

namespace Dialtone.Daemon.Api;

/// <summary>Unauthenticated operational routes: liveness, readiness, metrics, version, the OpenAPI document.</summary>
public static class OperationsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Json(new HealthReply("ok", DaemonHost.Version), DaemonJsonContext.Api.HealthReply));
        app.MapGet("/readyz", Ready);
        app.MapGet("/metrics", ([FromServices] MetricsRegistry registry) => Results.Text(registry.Render(), MetricsRegistry.ContentType));
        app.MapGet("/version", () => Results.Json(new VersionReply("dialtone", DaemonHost.Version), DaemonJsonContext.Api.VersionReply));
        app.MapGet("/openapi.yaml", OpenApi);
    }

    private static IResult Ready([FromServices] ReadinessState readiness)
    {
        var reply = new ReadinessReply(readiness.IsReady ? "ready" : "not-ready", readiness.StorageOpen, readiness.Listening, readiness.IsDraining);
        return Results.Json(reply, DaemonJsonContext.Api.ReadinessReply,
            statusCode: readiness.IsReady ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static IResult OpenApi()
    {
        var stream = typeof(OperationsEndpoints).Assembly.GetManifestResourceStream("openapi.yaml");
        return stream is null ? Results.NotFound() : Results.Stream(stream, "application/yaml");
    }
}
