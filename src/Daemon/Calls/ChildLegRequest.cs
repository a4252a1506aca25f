namespace Dialtone.Daemon.Calls;

/// <summary>A B-leg an application dials (<c>&lt;Dial&gt;</c>); it reports to the parent's status callback.</summary>
public sealed record ChildLegRequest
{
    public required string To { get; init; }

    /// <summary>Caller ID presented to the B-leg (the app's callerId, else the A-leg's From).</summary>
    public required string From { get; init; }

    public int TimeoutSeconds { get; init; } = 30;

    public int TimeLimitSeconds { get; init; } = CallRequest.DefaultTimeLimitSeconds;

    public bool Record { get; init; }

    /// <summary>Digits to send once the B-leg answers.</summary>
    public string? SendDigits { get; init; }
}
