using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Callbacks;

/// <summary>Turns a call's state change into the outbox row that reports it.</summary>
/// <param name="signingKeyOf">An account's signing key (its primary API key, Twilio's auth token), for Twilio-dialect signatures.</param>
public sealed class CallbackComposer(Func<string, string?> signingKeyOf)
{
    /// <summary>The event to write for <paramref name="single"/>, or null when the call has no status callback or did not subscribe.</summary>
    public OutboxEvent? Compose(CallRecord call, CallEvent single, int sequenceNumber, DateTimeOffset now)
    {
        var request = call.Request;
        if (request.StatusCallback is null || (request.StatusCallbackEvents & single) == 0)
            return null;
        var url = CallbackUrl.WithOptional(request.StatusCallback, request.Optional);
        var fields = CallbackFields.Build(call, single, sequenceNumber, now);
        var body = FormEncoding.Encode(fields);
        var item = new OutboxEvent
        {
            CallSid = call.Sid,
            SequenceNumber = sequenceNumber,
            AccountSid = call.AccountSid,
            EventName = CallEventText.Of(single),
            Url = url,
            Method = request.StatusCallbackMethod,
            Body = body,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        if (request.Dialect == CallbackDialect.Twilio && signingKeyOf(call.AccountSid) is { } key)
        {
            // A POST is signed over URL + fields; a GET over the URL with the fields in its query.
            var signature = request.StatusCallbackMethod == HttpMethodKind.Get
                ? TwilioSignature.Compute(key, item.RequestUrl, [])
                : TwilioSignature.Compute(key, url, fields);
            item = item with { Signature = signature };
        }
        return item;
    }
}
