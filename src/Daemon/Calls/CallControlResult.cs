namespace Dialtone.Daemon.Calls;

/// <summary>The result of an <see cref="ICallControl"/> operation: the call as it is now, or why not.</summary>
public sealed record CallControlResult(CallControlStatus Status, CallRecord? Call = null, string? Message = null)
{
    public static CallControlResult Ok(CallRecord call) => new(CallControlStatus.Ok, call);

    public static CallControlResult NotFound(string sid) => new(CallControlStatus.NotFound, null, $"call {sid} was not found");
}
