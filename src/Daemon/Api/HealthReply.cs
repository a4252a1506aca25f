namespace Dialtone.Daemon.Api;

/// <summary>Body of <c>GET /healthz</c>.</summary>
public sealed record HealthReply(string Status, string Version);
