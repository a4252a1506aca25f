namespace Dialtone.Daemon.Calls;

/// <summary>How a call ended, as the orchestration reports it.</summary>
/// <param name="Status">The final state (see <see cref="SipOutcome.FinalStatusOf"/> for unanswered calls).</param>
/// <param name="SipResponseCode">The final SIP response of the INVITE, or of the BYE exchange; null when none.</param>
/// <param name="ErrorCode">A voice-application error code when the app failed (the call may still be completed).</param>
/// <param name="ErrorMessage">Its human-readable message.</param>
/// <param name="RecordingPath">The whole-call recording the media engine wrote, if any.</param>
public sealed record CallEnd(
    CallStatus Status,
    int? SipResponseCode = null,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    string? RecordingPath = null);
