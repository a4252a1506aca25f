using Dialtone.Daemon.Auth;

namespace Dialtone.Daemon.Calls;

/// <summary>What the REST API asks of calls. <see cref="CallService"/> implements it.</summary>
public interface ICallControl
{
    /// <summary>Accepts a call: stored as queued, then waits in the queue for the dialer.</summary>
    Task<CallControlResult> CreateAsync(Account account, CallRequest request, CancellationToken cancellationToken);

    /// <summary>Points a queued or live call at a new application.</summary>
    Task<CallControlResult> RedirectAsync(string accountSid, string callSid, CallRedirect redirect, CancellationToken cancellationToken);

    /// <summary>Ends a call in any state (<c>status=completed</c>); a finished call is returned as it is.</summary>
    Task<CallControlResult> HangupAsync(string accountSid, string callSid, CancellationToken cancellationToken);

    /// <summary>Ends a call not yet answered (<c>status=canceled</c>).</summary>
    Task<CallControlResult> CancelAsync(string accountSid, string callSid, CancellationToken cancellationToken);
}
