namespace Dialtone.Daemon.Callbacks;

/// <summary>The stored spelling of <see cref="OutboxState"/>.</summary>
public static class OutboxStateText
{
    public static string Of(OutboxState state) => state switch
    {
        OutboxState.Pending => "pending",
        OutboxState.Delivered => "delivered",
        OutboxState.Rejected => "rejected",
        OutboxState.GivenUp => "given_up",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static OutboxState Parse(string text) => text switch
    {
        "pending" => OutboxState.Pending,
        "delivered" => OutboxState.Delivered,
        "rejected" => OutboxState.Rejected,
        "given_up" => OutboxState.GivenUp,
        _ => throw new FormatException($"'{text}' is not an outbox state"),
    };
}
