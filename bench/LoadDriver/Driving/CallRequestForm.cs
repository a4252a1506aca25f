using System.Globalization;
using System.Text;

namespace Dialtone.LoadDriver.Driving;

/// <summary>The form fields of <c>POST /v1/calls</c> (the seed spec's names), the same for every call but <c>to</c>.</summary>
public sealed class CallRequestForm(
    string from,
    CallApplication application,
    string callbackUrl,
    IReadOnlyList<string> events,
    string? sendDigits,
    int? timeoutSeconds,
    int? timeLimitSeconds)
{
    private readonly string _fixedPart = Build(from, application, callbackUrl, events, sendDigits, timeoutSeconds, timeLimitSeconds);

    /// <summary>The urlencoded body for a call to <paramref name="to"/>.</summary>
    public byte[] BodyFor(string to) => Encoding.ASCII.GetBytes("to=" + Uri.EscapeDataString(to) + _fixedPart);

    private static string Build(string from, CallApplication application, string callbackUrl, IReadOnlyList<string> events,
        string? sendDigits, int? timeoutSeconds, int? timeLimitSeconds)
    {
        var body = new StringBuilder();
        void Add(string name, string value) => body.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        Add("from", from);
        if (application.Url is not null)
            Add("url", application.Url);
        if (application.Twiml is not null)
            Add("twiml", application.Twiml);
        Add("statusCallback", callbackUrl);
        Add("statusCallbackEvent", string.Join(',', events));
        if (sendDigits is not null)
            Add("senddigits", sendDigits);
        if (timeoutSeconds is { } timeout)
            Add("Timeout", timeout.ToString(CultureInfo.InvariantCulture));
        if (timeLimitSeconds is { } limit)
            Add("TimeLimit", limit.ToString(CultureInfo.InvariantCulture));
        return body.ToString();
    }
}
