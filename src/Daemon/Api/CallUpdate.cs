using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Api;

/// <summary>A validated <c>POST /v1/calls/{sid}</c>: either a redirect or an end status.</summary>
public sealed record CallUpdate(CallRedirect? Redirect, CallStatus? Status);
