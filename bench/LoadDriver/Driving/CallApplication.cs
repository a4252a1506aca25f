using System.Globalization;
using Dialtone.LoadDriver.Cli;

namespace Dialtone.LoadDriver.Driving;

/// <summary>
/// What each call runs once answered, from <c>--app</c>: <c>hangup</c> (signaling only), <c>pause:N</c>,
/// <c>play:N</c> (N seconds of a tone served by the driver, so the callee has media to echo),
/// <c>twiml:&lt;xml&gt;</c> or <c>url:&lt;url&gt;</c>.
/// </summary>
public sealed record CallApplication(string Description, string? Twiml, string? Url)
{
    public static CallApplication Parse(string text, string receiverBaseUrl)
    {
        var colon = text.IndexOf(':');
        var kind = colon < 0 ? text : text[..colon];
        var argument = colon < 0 ? null : text[(colon + 1)..];
        int Seconds()
        {
            if (!int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s is < 1 or > 3600)
                throw new UsageException($"--app {kind}:N needs N seconds (1-3600), got '{argument}'");
            return s;
        }
        return kind switch
        {
            "hangup" => new CallApplication("hang up at once", "<Response><Hangup/></Response>", null),
            "pause" => new CallApplication($"pause {Seconds()} s, hang up", $"<Response><Pause length=\"{Seconds()}\"/><Hangup/></Response>", null),
            "play" => new CallApplication($"play {Seconds()} s of tone, hang up",
                $"<Response><Play>{receiverBaseUrl}/media/tone-{Seconds()}.wav</Play><Hangup/></Response>", null),
            "twiml" when !string.IsNullOrEmpty(argument) => new CallApplication("twiml", argument, null),
            "url" when !string.IsNullOrEmpty(argument) => new CallApplication("url " + argument, null, argument),
            _ => throw new UsageException($"--app must be hangup, pause:N, play:N, twiml:<xml> or url:<url>, got '{text}'"),
        };
    }
}
