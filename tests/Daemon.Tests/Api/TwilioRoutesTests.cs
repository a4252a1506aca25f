using System.Text;
using System.Text.Json;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Api;

public sealed class TwilioRoutesTests : IAsyncLifetime
{
    private const string CallsPath = $"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls.json";
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await TestDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private static HttpRequestMessage Twilio(HttpMethod method, string path, string? formBody = null)
    {
        var request = TestDaemon.Request(method, path, apiKey: null);
        request.Headers.Authorization = TestDaemon.Basic(TestAccounts.FirstSid, TestAccounts.FirstKey);
        if (formBody is not null)
            request.Content = new StringContent(formBody, Encoding.UTF8, "application/x-www-form-urlencoded");
        return request;
    }

    private static readonly string[] TwilioCallFields =
    [
        "account_sid", "annotation", "answered_by", "api_version", "caller_name", "date_created", "date_updated", "direction",
        "duration", "end_time", "forwarded_from", "from", "from_formatted", "group_sid", "parent_call_sid", "phone_number_sid",
        "price", "price_unit", "queue_time", "sid", "start_time", "status", "subresource_uris", "to", "to_formatted", "trunk_sid", "uri",
    ];

    [Fact]
    public async Task Creating_a_call_answers_in_Twilios_call_shape()
    {
        var (status, body) = await _daemon.SendAsync(Twilio(HttpMethod.Post, CallsPath,
            "To=%2B15550101&From=%2B15550100&Url=https%3A%2F%2Fapp.example.com%2Fa.xml&StatusCallbackEvent=initiated&StatusCallbackEvent=completed"));

        Assert.Equal(201, status);
        var names = body.EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(TwilioCallFields.Order().ToArray(), names);
        var sid = body.GetProperty("sid").GetString()!;
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal("2010-04-01", body.GetProperty("api_version").GetString());
        Assert.Equal("outbound-api", body.GetProperty("direction").GetString());
        Assert.Equal($"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls/{sid}.json", body.GetProperty("uri").GetString());
        Assert.Matches(@"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$", body.GetProperty("date_created").GetString());
        Assert.Equal(CallbackDialect.Twilio, _daemon.Calls.Get(TestAccounts.FirstSid, sid)!.Request.Dialect);
    }

    [Fact]
    public async Task A_call_can_be_fetched_listed_and_canceled_the_Twilio_way()
    {
        var (_, created) = await _daemon.SendAsync(Twilio(HttpMethod.Post, CallsPath, "To=%2B15550101&From=%2B15550100"));
        var sid = created.GetProperty("sid").GetString()!;
        var one = $"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls/{sid}.json";

        var (getStatus, fetched) = await _daemon.SendAsync(Twilio(HttpMethod.Get, one));
        var (listStatus, list) = await _daemon.SendAsync(Twilio(HttpMethod.Get, CallsPath + "?PageSize=10&To=%2B15550101"));
        var (cancelStatus, canceled) = await _daemon.SendAsync(Twilio(HttpMethod.Post, one, "Status=canceled"));

        Assert.Equal((200, 200, 200), (getStatus, listStatus, cancelStatus));
        Assert.Equal(sid, fetched.GetProperty("sid").GetString());
        Assert.Equal(sid, list.GetProperty("calls")[0].GetProperty("sid").GetString());
        Assert.Equal(10, list.GetProperty("page_size").GetInt32());
        Assert.Equal(0, list.GetProperty("page").GetInt32());
        Assert.Equal(0, list.GetProperty("start").GetInt32());
        Assert.Equal(0, list.GetProperty("end").GetInt32());
        Assert.Equal(JsonValueKind.Null, list.GetProperty("next_page_uri").ValueKind);
        Assert.StartsWith($"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls.json?", list.GetProperty("first_page_uri").GetString());
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
    }

    public static TheoryData<string, int, int> ErrorRows()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var row in Vectors.Rows("api/twilio-error-codes.tsv"))
            data.Add(row[0], int.Parse(row[1]), int.Parse(row[2]));
        return data;
    }

    [Theory]
    [MemberData(nameof(ErrorRows))]
    public async Task Errors_come_in_Twilios_shape_with_Twilios_codes(string form, int httpStatus, int code)
    {
        var (status, body) = await _daemon.SendAsync(Twilio(HttpMethod.Post, CallsPath, form));

        Assert.Equal(httpStatus, status);
        Assert.Equal(code, body.GetProperty("code").GetInt32());
        Assert.Equal(httpStatus, body.GetProperty("status").GetInt32());
        Assert.Equal($"https://www.twilio.com/docs/errors/{code}", body.GetProperty("more_info").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Bad_credentials_on_Twilio_routes_are_Twilios_20003()
    {
        var request = TestDaemon.Request(HttpMethod.Get, CallsPath, apiKey: null);
        request.Headers.Authorization = TestDaemon.Basic(TestAccounts.FirstSid, "wrong-wrong-wrong-wrong");

        var (status, body) = await _daemon.SendAsync(request);

        Assert.Equal(401, status);
        Assert.Equal(20003, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_path_account_must_be_the_authenticated_one()
    {
        var request = Twilio(HttpMethod.Get, $"/2010-04-01/Accounts/{TestAccounts.OtherSid}/Calls.json");

        var (status, body) = await _daemon.SendAsync(request);

        Assert.Equal(403, status);
        Assert.Equal(20403, body.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task An_unknown_call_is_Twilios_20404()
    {
        var (status, body) = await _daemon.SendAsync(Twilio(HttpMethod.Get, $"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls/CA00000000000000000000000000000000.json"));

        Assert.Equal(404, status);
        Assert.Equal(20404, body.GetProperty("code").GetInt32());
    }
}
