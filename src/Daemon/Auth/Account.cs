namespace Dialtone.Daemon.Auth;

/// <summary>A customer account as the daemon uses it (keys are held only as hashes, in <see cref="ApiKeyAuthenticator"/>).</summary>
/// <param name="Sid">AC + 32 hex digits.</param>
/// <param name="Name">A label for logs and the demo banner.</param>
/// <param name="MaxActiveCalls">Calls live at once.</param>
/// <param name="MaxQueuedCalls">Calls waiting to be dialed.</param>
public sealed record Account(string Sid, string? Name, int MaxActiveCalls, int MaxQueuedCalls);
