namespace Dialtone.Daemon.Calls;

/// <summary>
/// The seam the call orchestration fills: it takes a call out of the queue and drives it to its end
/// over SIP and RTP. Everything else (the queue, limits, state, CDRs, callbacks, API commands) is
/// done around it by <see cref="CallService"/> and <see cref="CallDispatchService"/>.
/// </summary>
/// <remarks>
/// The dialer reports progress through the <see cref="LiveCall"/>: <see cref="LiveCall.ReportInitiatedAsync"/>
/// when the INVITE leaves, <see cref="LiveCall.ReportRingingAsync"/>, <see cref="LiveCall.ReportAnsweredAsync"/>,
/// and always <see cref="LiveCall.ReportEndedAsync"/> last (if it returns without, the call is closed as
/// failed). It reads <see cref="LiveCall.Commands"/> for redirect, hang-up and cancel requests. A report
/// the state machine refuses (the call was canceled meanwhile, say) comes back with
/// <see cref="CallTransitionVerdict.Refused"/>: the dialer should then stop. When
/// <paramref name="cancellationToken"/> fires (the shutdown grace period is over), hang up at once.
/// </remarks>
public interface ICallDialer
{
    Task DialAsync(LiveCall call, CancellationToken cancellationToken);
}
