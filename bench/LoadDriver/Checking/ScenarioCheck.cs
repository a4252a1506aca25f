using System.Diagnostics;
using Dialtone.LoadDriver.Driving;
using Dialtone.LoadDriver.Receiving;

namespace Dialtone.LoadDriver.Checking;

/// <summary>
/// Places one call and checks its status callbacks against a <see cref="ScenarioExpectation"/>:
/// the events in order with SequenceNumber 0, 1, 2..., every field DESIGN.md §2 lists, the final
/// CallResult and SIP code. Returns the problems found (none: the scenario passed).
/// </summary>
public sealed class ScenarioCheck(string api, string key, string to, string app, string? sendDigits, int? ringTimeout,
    IReadOnlyList<string> events, ScenarioExpectation expected, TimeSpan wait, TextWriter log)
{
    private static readonly string[] CommonFields =
        ["Called", "CallStatus", "Direction", "CallSid", "callSid", "CallbackSource", "AccountSid", "From", "To", "Timestamp", "SequenceNumber"];

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var book = new CallTraceBook();
        await using var receiver = await CallbackReceiver.StartAsync("127.0.0.1:0", book, keepFields: true).ConfigureAwait(false);
        var application = CallApplication.Parse(app, receiver.BaseUrl);
        var form = new CallRequestForm("+15005550100", application, receiver.BaseUrl + "/callbacks?token=check", events, sendDigits, ringTimeout, null);
        using var poster = new CallPoster(api, key, 1, TimeSpan.FromSeconds(30));
        var trace = book.Add(0, to);
        await poster.PostAsync(trace, form).ConfigureAwait(false);
        if (trace.HttpStatus != 201)
            return [$"POST /v1/calls answered {trace.HttpStatus}: {trace.RequestError}"];

        var until = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (trace.CompletedAt == 0 && Stopwatch.GetTimestamp() < until)
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        // Anything arriving after the final event would break "never a final status followed by an older one".
        await Task.Delay(300, cancellationToken).ConfigureAwait(false);

        var callbacks = trace.Callbacks;
        log.WriteLine($"call {trace.Sid} to {to}: " + string.Join(", ", callbacks.Select(c =>
            $"#{c["SequenceNumber"]} {c["CallStatus"]}" + (c["SipResponseCode"] is { } code ? $" ({code})" : "")
            + (c["CallResult"] is { } result ? $" result={result}" : "") + (c["ErrorCode"] is { } error ? $" error={error}" : ""))));
        if (trace.CompletedAt == 0)
            problems.Add($"no completed callback within {wait.TotalSeconds} s");

        var statuses = callbacks.Select(c => c["CallStatus"] ?? "?").ToList();
        if (!statuses.SequenceEqual(expected.Statuses))
            problems.Add($"callbacks {string.Join(",", statuses)}, expected {string.Join(",", expected.Statuses)}");
        for (var i = 0; i < callbacks.Count; i++)
        {
            var callback = callbacks[i];
            if (callback["SequenceNumber"] != i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                problems.Add($"callback {i} ({callback["CallStatus"]}) has SequenceNumber {callback["SequenceNumber"]}: out of order or missing");
            foreach (var field in CommonFields)
            {
                if (string.IsNullOrEmpty(callback[field]))
                    problems.Add($"callback {callback["CallStatus"]} lacks {field}");
            }
            if (callback["CallSid"] != trace.Sid || callback["callSid"] != trace.Sid)
                problems.Add($"callback {callback["CallStatus"]} names call {callback["CallSid"]}, not {trace.Sid}");
            if (callback["Direction"] != "Outbound" || callback["CallbackSource"] != "call-progress-event")
                problems.Add($"callback {callback["CallStatus"]}: Direction={callback["Direction"]} CallbackSource={callback["CallbackSource"]}");
            if (!callback.Query.Contains("token=check", StringComparison.Ordinal))
                problems.Add($"callback {callback["CallStatus"]} lost the statusCallback URL's query ({callback.Query})");
        }
        var ringing = callbacks.FirstOrDefault(c => c["CallStatus"] == "ringing");
        if (expected.RingingCode is not null && ringing?["SipResponseCode"] != expected.RingingCode)
            problems.Add($"ringing SipResponseCode {ringing?["SipResponseCode"] ?? "(none)"}, expected {expected.RingingCode}");
        var completed = callbacks.FirstOrDefault(c => c["CallStatus"] == "completed");
        if (completed is not null)
        {
            if (completed["CallResult"] != expected.Result)
                problems.Add($"CallResult {completed["CallResult"]}, expected {expected.Result}");
            if (expected.SipResponseCode is not null && completed["SipResponseCode"] != expected.SipResponseCode)
                problems.Add($"completed SipResponseCode {completed["SipResponseCode"] ?? "(none)"}, expected {expected.SipResponseCode}");
            if (expected.ErrorCode == "none" && completed["ErrorCode"] is { } unexpected)
                problems.Add($"completed ErrorCode {unexpected} ({completed["ErrorMessage"]}), expected none");
            else if (expected.ErrorCode is not null and not "none" && completed["ErrorCode"] != expected.ErrorCode)
                problems.Add($"completed ErrorCode {completed["ErrorCode"] ?? "(none)"}, expected {expected.ErrorCode}");
            if (completed["CallDuration"] is null)
                problems.Add("completed lacks CallDuration");
            else if (expected.MinDuration is { } min && int.TryParse(completed["CallDuration"], out var duration) && duration < min)
                problems.Add($"CallDuration {duration} s, expected at least {min} s");
        }
        return problems;
    }
}
