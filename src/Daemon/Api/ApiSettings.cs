namespace Dialtone.Daemon.Api;

/// <summary>The REST API's request limits.</summary>
public sealed record ApiSettings(int MaxBodyBytes, int DefaultPageSize, int MaxPageSize);
