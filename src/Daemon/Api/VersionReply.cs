namespace Dialtone.Daemon.Api;

/// <summary>Body of <c>GET /version</c>.</summary>
public sealed record VersionReply(string Name, string Version);
