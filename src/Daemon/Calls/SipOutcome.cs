namespace Dialtone.Daemon.Calls;

/// <summary>Maps the final SIP response of an INVITE to the call's final state (DESIGN.md §1).</summary>
public static class SipOutcome
{
    /// <summary>
    /// The final state of a call whose INVITE got <paramref name="statusCode"/> as its final response,
    /// or <see langword="null"/> for a 2xx (the call is answered, not over).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not a final response code (100–199 or outside 200–699).</exception>
    public static CallStatus? FinalStatusOf(int statusCode, CallEndCause cause = CallEndCause.None)
    {
        if (statusCode is < 200 or > 699)
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "a final response code is 200-699");
        if (statusCode < 300)
            return null;
        return statusCode switch
        {
            // 486 Busy Here, 600 Busy Everywhere (RFC 3261 §21.4.24, §21.6.1); 603 Decline
            // (§21.6.2) is the callee pressing "reject", which carriers and Twilio report as busy.
            486 or 600 or 603 => CallStatus.Busy,
            // 487 Request Terminated answers our own CANCEL (RFC 3261 §9.1): whoever asked for the
            // CANCEL decides what it means.
            487 => cause == CallEndCause.ApiCancel ? CallStatus.Canceled : CallStatus.NoAnswer,
            // 408 Request Timeout and 480 Temporarily Unavailable: nobody picked up.
            408 or 480 => CallStatus.NoAnswer,
            _ => CallStatus.Failed,
        };
    }

    /// <summary>The final state of a call that timed out ringing with no final response at all.</summary>
    public static CallStatus RingTimedOut => CallStatus.NoAnswer;
}
