namespace Dialtone.Daemon.Api;

/// <summary>Body of <c>GET /readyz</c>: ready, or which condition is not met.</summary>
public sealed record ReadinessReply(string Status, bool Storage, bool Listening, bool Draining);
