namespace Dialtone.Daemon.Calls;

/// <summary>What <see cref="CallStateMachine.Judge"/> says of a requested move.</summary>
public enum CallTransitionVerdict
{
    /// <summary>A legal move forward.</summary>
    Allowed,

    /// <summary>The call is already in that state (a repeated 180, say): nothing to do, nothing reported.</summary>
    AlreadyThere,

    /// <summary>Backwards, out of a final state, or skipping what cannot be skipped.</summary>
    Refused,
}
