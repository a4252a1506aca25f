using System.Globalization;

namespace Dialtone.Daemon.Callbacks;

/// <summary>Dates as Twilio writes them: RFC 2822 §3.3 in UTC, <c>Tue, 31 Aug 2010 20:36:28 +0000</c>.</summary>
public static class Rfc2822
{
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public static string? Format(DateTimeOffset? time) => time is { } t ? Format(t) : null;
}
