namespace Dialtone.Daemon.Calls;

/// <summary>The wire spelling of <see cref="CallDirection"/>.</summary>
public static class CallDirectionText
{
    public static string Of(CallDirection direction) => direction switch
    {
        CallDirection.OutboundApi => "outbound-api",
        CallDirection.OutboundDial => "outbound-dial",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, null),
    };

    public static CallDirection Parse(string text) => text switch
    {
        "outbound-api" => CallDirection.OutboundApi,
        "outbound-dial" => CallDirection.OutboundDial,
        _ => throw new FormatException($"'{text}' is not a call direction"),
    };
}
