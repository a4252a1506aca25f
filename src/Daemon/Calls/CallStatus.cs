namespace Dialtone.Daemon.Calls;

/// <summary>
/// The states of a call (DESIGN.md §1): queued → initiated → ringing → in-progress → one final state.
/// The names are Twilio's call statuses, so the wire form is <see cref="CallStatusText"/>.
/// </summary>
public enum CallStatus
{
    Queued,
    Initiated,
    Ringing,
    InProgress,
    Completed,
    Busy,
    NoAnswer,
    Failed,
    Canceled,
}
