using System.Reflection;
using System.Text.Json.Serialization;

namespace Dialtone.Daemon;

/// <summary>Builds and runs the daemon's web host (REST API and operations endpoints).</summary>
public static class DaemonHost
{
    /// <summary>The daemon's version, taken from the assembly's informational version.</summary>
    public static string Version { get; } =
        typeof(DaemonHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";

    public static async Task<int> RunAsync(string[] args)
    {
        var app = Build(args);
        await app.RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, DaemonJsonContext.Default));
        if (builder.Configuration["urls"] is null && Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is null)
            builder.WebHost.UseUrls("http://127.0.0.1:8080");

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Ok(new HealthReply("ok", Version)));
        app.MapGet("/version", () => Results.Ok(new VersionReply("dialtone", Version)));
        return app;
    }
}

/// <summary>Body of <c>GET /healthz</c>.</summary>
public sealed record HealthReply(string Status, string Version);

/// <summary>Body of <c>GET /version</c>.</summary>
public sealed record VersionReply(string Name, string Version);

/// <summary>Source-generated JSON metadata: native AOT cannot serialize by reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthReply))]
[JsonSerializable(typeof(VersionReply))]
internal sealed partial class DaemonJsonContext : JsonSerializerContext;
