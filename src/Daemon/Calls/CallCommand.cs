namespace Dialtone.Daemon.Calls;

/// <summary>A request from the API to the orchestration driving a live call.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Redirect">The new application, for <see cref="CallCommandKind.Redirect"/>.</param>
public sealed record CallCommand(CallCommandKind Kind, CallRedirect? Redirect = null);
