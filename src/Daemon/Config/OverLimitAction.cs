namespace Dialtone.Daemon.Config;

/// <summary>What happens to a new call when its account already has its maximum of active calls.</summary>
public enum OverLimitAction
{
    /// <summary>Accept it and keep it queued until a slot frees (up to MaxQueuedCalls, then 429).</summary>
    Queue,

    /// <summary>Refuse it at once with 429.</summary>
    Reject,
}
