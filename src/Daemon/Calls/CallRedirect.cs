namespace Dialtone.Daemon.Calls;

/// <summary>The application a redirected call runs next: a URL (with its method) or an inline document.</summary>
public sealed record CallRedirect(string? Url, HttpMethodKind Method, string? Twiml);
