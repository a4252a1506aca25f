using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dialtone.Daemon.Callbacks;
using Dialtone.Daemon.Calls;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Api;

public sealed class CreateCallTests : IAsyncLifetime
{
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await TestDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    /// <summary>Every parameter, spelled as the seed spec spells it.</summary>
    private static readonly (string, string)[] SeedParameters =
    [
        ("from", "+19499300360"),
        ("to", "+19499300361"),
        ("url", "https://app.example.com/hello-world.php"),
        ("senddigits", "WW12#"),
        ("statusCallbackEvent", "initiated ringing,answered"),
        ("statusCallback", "https://hooks.example.com/status"),
        ("statusCallbackMethod", "GET"),
        ("secretKey", "proviateapikey"),
        ("optional", "token=123456"),
    ];

    /// <summary>Every parameter, spelled as Twilio spells it.</summary>
    private static readonly (string, string)[] TwilioParameters =
    [
        ("From", "+19499300360"),
        ("To", "sip:alice@example.com"),
        ("Twiml", "<Response><Say>Your pin is 8 9 7 0</Say></Response>"),
        ("Method", "GET"),
        ("SendDigits", "1w2W3*#ABCD"),
        ("Timeout", "25"),
        ("TimeLimit", "600"),
        ("Record", "true"),
        ("FallbackUrl", "https://app.example.com/fallback.xml"),
        ("FallbackMethod", "GET"),
        ("StatusCallback", "https://hooks.example.com/status?x=1"),
        ("StatusCallbackEvent", "initiated"),
        ("StatusCallbackEvent", "in-progress"),
        ("StatusCallbackEvent", "completed"),
        ("StatusCallbackMethod", "POST"),
        ("CallerId", "+15005550006"),
    ];

    private static HttpRequestMessage AsForm((string Name, string Value)[] fields) =>
        TestDaemon.Form("/v1/calls", fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    /// <summary>The same parameters as a JSON object; a repeated name becomes an array; numbers and booleans stay typed.</summary>
    private static HttpRequestMessage AsJson((string Name, string Value)[] fields)
    {
        var json = new JsonObject();
        foreach (var group in fields.GroupBy(f => f.Name))
        {
            var values = group.Select(g => Typed(g.Value)).ToArray();
            json[group.Key] = values.Length == 1 ? values[0] : new JsonArray(values);
        }
        return TestDaemon.Json("/v1/calls", json.ToJsonString());
    }

    private static JsonNode? Typed(string value) =>
        int.TryParse(value, out var number) && !value.StartsWith('+') ? JsonValue.Create(number)
        : value is "true" or "false" ? JsonValue.Create(value == "true")
        : JsonValue.Create(value);

    public static TheoryData<string> Encodings => new() { "form", "json" };

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Seed_parameter_names_are_understood(string encoding)
    {
        var request = encoding == "form" ? AsForm(SeedParameters) : AsJson(SeedParameters);

        var (status, body) = await _daemon.SendAsync(request);

        Assert.Equal(201, status);
        var stored = _daemon.Calls.Get(TestAccounts.FirstSid, body.GetProperty("sid").GetString()!)!;
        var r = stored.Request;
        Assert.Equal(("+19499300360", "+19499300361"), (r.From, r.To));
        Assert.Equal("https://app.example.com/hello-world.php", r.Url);
        Assert.Equal("WW12#", r.SendDigits);
        Assert.Equal(CallEvent.Initiated | CallEvent.Ringing | CallEvent.Answered, r.StatusCallbackEvents);
        Assert.Equal("https://hooks.example.com/status", r.StatusCallback);
        Assert.Equal(HttpMethodKind.Get, r.StatusCallbackMethod);
        Assert.Equal("proviateapikey", r.SecretKey);
        Assert.Equal("token=123456", r.Optional);
        Assert.Equal(CallbackDialect.Seed, r.Dialect);
        // Defaults where the seed is silent are Twilio's.
        Assert.Equal((60, 14400, false, HttpMethodKind.Post), (r.TimeoutSeconds, r.TimeLimitSeconds, r.Record, r.Method));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task Twilio_parameter_names_are_understood(string encoding)
    {
        var request = encoding == "form" ? AsForm(TwilioParameters) : AsJson(TwilioParameters);

        var (status, body) = await _daemon.SendAsync(request);

        Assert.Equal(201, status);
        var r = _daemon.Calls.Get(TestAccounts.FirstSid, body.GetProperty("sid").GetString()!)!.Request;
        Assert.Equal(("+19499300360", "sip:alice@example.com", "+15005550006"), (r.From, r.To, r.CallerId));
        Assert.Null(r.Url);
        Assert.Equal("<Response><Say>Your pin is 8 9 7 0</Say></Response>", r.Twiml);
        Assert.Equal(HttpMethodKind.Get, r.Method);
        Assert.Equal("1w2W3*#ABCD", r.SendDigits);
        Assert.Equal((25, 600, true), (r.TimeoutSeconds, r.TimeLimitSeconds, r.Record));
        Assert.Equal(("https://app.example.com/fallback.xml", HttpMethodKind.Get), (r.FallbackUrl, r.FallbackMethod));
        Assert.Equal("https://hooks.example.com/status?x=1", r.StatusCallback);
        Assert.Equal(CallEvent.Initiated | CallEvent.Answered | CallEvent.Completed, r.StatusCallbackEvents);
        Assert.Equal(HttpMethodKind.Post, r.StatusCallbackMethod);
    }

    [Fact]
    public async Task Names_match_whatever_their_case()
    {
        var (status, body) = await _daemon.SendAsync(AsForm([("FROM", "+15550100"), ("tO", "+15550101"), ("SENDDIGITS", "1"), ("statuscallbackevent", "RINGING")]));

        Assert.Equal(201, status);
        var r = _daemon.Calls.Get(TestAccounts.FirstSid, body.GetProperty("sid").GetString()!)!.Request;
        Assert.Equal(("+15550100", "+15550101", "1", CallEvent.Ringing), (r.From, r.To, r.SendDigits, r.StatusCallbackEvents));
    }

    [Fact]
    public async Task Status_callback_events_default_to_completed()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550101"), ("statusCallback", "https://h.example.com/cb"));

        Assert.Equal(CallEvent.Completed, _daemon.Calls.Get(TestAccounts.FirstSid, sid)!.Request.StatusCallbackEvents);
    }

    [Fact]
    public async Task The_reply_is_201_with_a_queued_call_resource()
    {
        using var request = AsForm([("from", "+15550100"), ("to", "+15550101")]);
        using var response = await _daemon.Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var sid = body.GetProperty("sid").GetString()!;
        Assert.Matches("^CA[0-9a-f]{32}$", sid);
        Assert.Equal("queued", body.GetProperty("status").GetString());
        Assert.Equal(TestAccounts.FirstSid, body.GetProperty("account_sid").GetString());
        Assert.Equal("outbound-api", body.GetProperty("direction").GetString());
        Assert.Equal("+15550100", body.GetProperty("from").GetString());
        Assert.Equal("+15550101", body.GetProperty("to").GetString());
        Assert.Equal($"/v1/calls/{sid}", body.GetProperty("uri").GetString());
        Assert.Equal($"/v1/calls/{sid}", response.Headers.Location!.OriginalString);
        Assert.True(body.GetProperty("date_created").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(JsonValueKind.Null, body.GetProperty("end_time").ValueKind);
        Assert.Equal(0, body.GetProperty("node_id").GetInt32());
    }

    public static TheoryData<string, string, string> ErrorRows => Vectors.ThreeColumns("api/create-call-errors.tsv");

    [Theory]
    [MemberData(nameof(ErrorRows))]
    public async Task Bad_form_parameters_get_their_error_code_naming_the_field(string code, string field, string body)
    {
        using var request = TestDaemon.Request(HttpMethod.Post, "/v1/calls");
        request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");

        var (status, error) = await _daemon.SendAsync(request);

        Assert.Equal(400, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Theory]
    [MemberData(nameof(ErrorRows))]
    public async Task Bad_json_parameters_get_the_same_error_codes(string code, string field, string body)
    {
        var fields = FormEncoding.Decode(body).Select(f => (f.Key, f.Value)).ToArray();

        var (status, error) = await _daemon.SendAsync(AsJson(fields));

        Assert.Equal(400, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var huge = new string('1', 9 * 1024);
        var (status, error) = await _daemon.SendAsync(AsForm([("from", "+15550100"), ("to", "+15550101"), ("senddigits", huge)]));

        Assert.Equal(413, status);
        Assert.Equal("body_too_large", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_too()
    {
        using var request = TestDaemon.Request(HttpMethod.Post, "/v1/calls");
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes("from=%2B15550100&to=%2B15550101&x=" + new string('a', 20_000))));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Content = content;
        request.Headers.TransferEncodingChunked = true;

        var (status, error) = await _daemon.SendAsync(request);

        Assert.Equal(413, status);
        Assert.Equal("body_too_large", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("text/plain", "from=+15550100&to=+15550101")]
    [InlineData("multipart/form-data; boundary=x", "--x--")]
    [InlineData("application/xml", "<call/>")]
    [InlineData("", "from=+15550100&to=+15550101")]
    public async Task Other_content_types_are_415(string contentType, string body)
    {
        using var request = TestDaemon.Request(HttpMethod.Post, "/v1/calls");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType.Length > 0)
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);

        var (status, error) = await _daemon.SendAsync(request);

        Assert.Equal(415, status);
        Assert.Equal("unsupported_media_type", error.GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"from\": ")]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"from\": {\"nested\": 1}, \"to\": \"+15550101\"}")]
    [InlineData("{\"from\": [[\"+15550100\"]], \"to\": \"+15550101\"}")]
    public async Task Malformed_json_is_a_clear_400(string json)
    {
        var (status, error) = await _daemon.SendAsync(TestDaemon.Json("/v1/calls", json));

        Assert.Equal(400, status);
        Assert.Equal("malformed_body", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_form_body_that_is_not_utf8_is_a_clear_400()
    {
        using var request = TestDaemon.Request(HttpMethod.Post, "/v1/calls");
        request.Content = new ByteArrayContent([0x66, 0x72, 0x6f, 0x6d, 0x3d, 0xff, 0xfe]);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-www-form-urlencoded");

        var (status, error) = await _daemon.SendAsync(request);

        Assert.Equal(400, status);
        Assert.Equal("malformed_body", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Random_bodies_never_crash_the_api()
    {
        var random = new Random(6);
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            using var request = TestDaemon.Request(HttpMethod.Post, "/v1/calls");
            request.Content = new ByteArrayContent(bytes);
            request.Content.Headers.TryAddWithoutValidation("Content-Type", i % 2 == 0 ? "application/json" : "application/x-www-form-urlencoded");

            var (status, body) = await _daemon.SendAsync(request);

            Assert.True(status is 400 or 413 or 415, $"status {status}");
            Assert.Contains(body.GetProperty("code").GetString()!, ApiCodes);
        }
    }

    private static readonly HashSet<string> ApiCodes = [.. Dialtone.Daemon.Api.ApiErrorCode.All];
}
