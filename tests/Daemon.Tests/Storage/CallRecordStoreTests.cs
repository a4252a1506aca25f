using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Storage;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Storage;

public sealed class CallRecordStoreTests
{
    [Fact]
    public async Task Every_field_of_a_call_round_trips()
    {
        using var dir = new TempDirectory();
        using var database = SqliteDatabase.Open(dir.File("d.db"));
        var store = new CallRecordStore(database);
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        var call = new CallRecord
        {
            Sid = Sid.NewCallSid(3),
            ParentSid = Sid.NewCallSid(3),
            AccountSid = TestAccounts.FirstSid,
            NodeId = 3,
            Direction = CallDirection.OutboundDial,
            Request = new CallRequest
            {
                From = "+15550100", To = "sip:bob@example.com", CallerId = "+15550999", Url = "https://a/x.xml", Method = HttpMethodKind.Get,
                FallbackUrl = "https://a/f.xml", FallbackMethod = HttpMethodKind.Get, Twiml = null, SendDigits = "ww1#", TimeoutSeconds = 30,
                TimeLimitSeconds = 99, Record = true, StatusCallback = "https://h/cb", StatusCallbackMethod = HttpMethodKind.Get,
                StatusCallbackEvents = CallEvent.Ringing | CallEvent.Completed, SecretKey = "s", Optional = "token=1", Dialect = CallbackDialect.Twilio,
            },
            Status = CallStatus.Completed,
            CreatedAt = t,
            UpdatedAt = t.AddSeconds(9),
            StartedAt = t.AddSeconds(1),
            AnsweredAt = t.AddSeconds(2),
            EndedAt = t.AddSeconds(9),
            SipResponseCode = 200,
            Result = CallStatus.Completed,
            DurationSeconds = 7,
            RecordingPath = "/data/recordings/x.wav",
            RecordingUrl = "https://voice/v1/recordings/x.wav",
            ErrorCode = "12100",
            ErrorMessage = "bad document",
            NextCallbackSequence = 2,
        };

        await database.WriteAsync((c, tx) =>
        {
            CallRecordStore.Insert(c, tx, call);
            return 0;
        });

        Assert.Equal(call, store.Get(call.Sid));
    }
}
