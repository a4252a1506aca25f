using Dialtone.LoadDriver.Cli;

namespace Dialtone.LoadDriver.Checking;

/// <summary>What one scenario's call must report in its status callbacks (the options of <c>check</c>).</summary>
public sealed record ScenarioExpectation
{
    /// <summary>The CallStatus values, in SequenceNumber order, e.g. initiated, ringing, answered, completed.</summary>
    public required IReadOnlyList<string> Statuses { get; init; }

    /// <summary>CallResult of the completed callback.</summary>
    public required string Result { get; init; }

    /// <summary>SipResponseCode of the completed callback, when it must be a given one.</summary>
    public string? SipResponseCode { get; init; }

    /// <summary>SipResponseCode of the ringing callback (180, or 183 for early media).</summary>
    public string? RingingCode { get; init; }

    /// <summary>ErrorCode of the completed callback; "none" requires that there is none.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The least CallDuration (seconds) the completed callback may report.</summary>
    public int? MinDuration { get; init; }

    public static ScenarioExpectation Read(ArgumentReader args) => new()
    {
        Statuses = args.List("expect-statuses") is { Count: > 0 } statuses ? statuses : throw new UsageException("--expect-statuses is required"),
        Result = args.RequiredText("expect-result"),
        SipResponseCode = args.Text("expect-code"),
        RingingCode = args.Text("expect-ringing-code"),
        ErrorCode = args.Text("expect-error"),
        MinDuration = args.Integer("expect-min-duration", 0, 86_400),
    };
}
