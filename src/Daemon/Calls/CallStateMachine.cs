namespace Dialtone.Daemon.Calls;

/// <summary>
/// The legal moves between call states. A call only moves forward; a final state is never left, so a
/// late or duplicated progress report cannot overwrite how a call ended.
/// </summary>
public static class CallStateMachine
{
    public static bool IsFinal(CallStatus status) => status >= CallStatus.Completed;

    /// <summary>A call that exists on the network (dialing, ringing or talking).</summary>
    public static bool IsLive(CallStatus status) => status is CallStatus.Initiated or CallStatus.Ringing or CallStatus.InProgress;

    /// <summary>Judges a move from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static CallTransitionVerdict Judge(CallStatus from, CallStatus to)
    {
        if (from == to)
            return CallTransitionVerdict.AlreadyThere;
        return IsAllowed(from, to) ? CallTransitionVerdict.Allowed : CallTransitionVerdict.Refused;
    }

    private static bool IsAllowed(CallStatus from, CallStatus to) => from switch
    {
        // A queued call was never dialed: it can be canceled, or fail before the INVITE leaves
        // (no trunk, shutdown), but it cannot be busy, unanswered or completed.
        CallStatus.Queued => to is CallStatus.Initiated or CallStatus.Canceled or CallStatus.Failed,
        // A 200 may come without any provisional response (RFC 3261 §13.2.2.4 allows it), so an
        // initiated call may go straight to in-progress.
        CallStatus.Initiated => to is CallStatus.Ringing or CallStatus.InProgress
            or CallStatus.Busy or CallStatus.NoAnswer or CallStatus.Failed or CallStatus.Canceled,
        CallStatus.Ringing => to is CallStatus.InProgress
            or CallStatus.Busy or CallStatus.NoAnswer or CallStatus.Failed or CallStatus.Canceled,
        // Once answered, a call ends completed, whatever happened during it (Twilio's rule):
        // an application error is reported through ErrorCode, not through the status.
        CallStatus.InProgress => to is CallStatus.Completed,
        _ => false,
    };
}
