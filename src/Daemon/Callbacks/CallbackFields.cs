using System.Globalization;
using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Callbacks;

/// <summary>
/// The fields of one status callback (DESIGN.md §2). The seed's table spells <c>callSid</c> and
/// <c>RecordingURL</c>, Twilio's <c>CallSid</c> and <c>RecordingUrl</c>: both spellings are sent, so code
/// written against either works. The dialect decides the values of CallStatus and Direction.
/// </summary>
public static class CallbackFields
{
    public const string CallbackSource = "call-progress-event";
    public const string TwilioApiVersion = "2010-04-01";

    public static List<KeyValuePair<string, string>> Build(CallRecord call, CallEvent single, int sequenceNumber, DateTimeOffset timestamp)
    {
        var request = call.Request;
        var twilio = request.Dialect == CallbackDialect.Twilio;
        var completed = single == CallEvent.Completed;
        var fields = new List<KeyValuePair<string, string>>(24);
        void Add(string name, string value) => fields.Add(new(name, value));

        Add("Called", request.To);
        if (call.ParentSid is not null)
            Add("ParentCallSid", call.ParentSid);
        Add("CallStatus", twilio ? TwilioCallStatus(call, single) : CallEventText.Of(single));
        Add("Direction", twilio ? CallDirectionText.Of(call.Direction) : "Outbound");
        Add("CallSid", call.Sid);
        Add("callSid", call.Sid);
        Add("CallbackSource", CallbackSource);
        if (completed)
        {
            Add("CallDuration", (call.DurationSeconds ?? 0).ToString(CultureInfo.InvariantCulture));
            if (call.RecordingUrl is not null)
            {
                Add("RecordingURL", call.RecordingUrl);
                Add("RecordingUrl", call.RecordingUrl);
            }
        }
        Add("AccountSid", call.AccountSid);
        Add("From", request.From);
        Add("To", request.To);
        Add("Timestamp", Rfc2822.Format(timestamp));
        Add("SequenceNumber", sequenceNumber.ToString(CultureInfo.InvariantCulture));
        if (call.SipResponseCode is { } code)
            Add("SipResponseCode", code.ToString(CultureInfo.InvariantCulture));
        if (completed && call.Result is { } result)
            Add("CallResult", CallStatusText.Of(result));
        if (completed && call.ErrorCode is not null)
        {
            Add("ErrorCode", call.ErrorCode);
            Add("ErrorMessage", call.ErrorMessage ?? "");
        }
        if (twilio)
        {
            Add("ApiVersion", TwilioApiVersion);
            Add("Caller", request.From);
        }
        if (request.SecretKey is not null)
            Add("apikey", request.SecretKey);
        return fields;
    }

    /// <summary>Twilio's CallStatus for an event: <c>in-progress</c> on answer, the final status on completed.</summary>
    private static string TwilioCallStatus(CallRecord call, CallEvent single) => single switch
    {
        CallEvent.Initiated => "initiated",
        CallEvent.Ringing => "ringing",
        CallEvent.Answered => "in-progress",
        _ => CallStatusText.Of(call.Result ?? call.Status),
    };
}
