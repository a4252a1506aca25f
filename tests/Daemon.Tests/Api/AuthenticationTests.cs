using System.Net.Http.Headers;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Api;

public sealed class AuthenticationTests : IAsyncLifetime
{
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync() => _daemon = await TestDaemon.StartAsync();

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private static HttpRequestMessage ListCalls() => TestDaemon.Request(HttpMethod.Get, "/v1/calls", apiKey: null);

    [Fact]
    public async Task The_seeds_apikey_header_is_accepted()
    {
        var (status, _) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, "/v1/calls", TestAccounts.FirstKey));
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task A_bearer_token_is_accepted_and_any_of_an_accounts_keys_works()
    {
        var request = ListCalls();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestAccounts.FirstSecondKey);

        var (status, _) = await _daemon.SendAsync(request);

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Basic_account_sid_and_key_is_accepted()
    {
        var request = ListCalls();
        request.Headers.Authorization = TestDaemon.Basic(TestAccounts.FirstSid, TestAccounts.FirstKey);

        var (status, _) = await _daemon.SendAsync(request);

        Assert.Equal(200, status);
    }

    [Fact]
    public async Task Each_account_sees_only_its_own_calls()
    {
        var sid = await _daemon.CreateCallAsync(("from", "+15550100"), ("to", "+15550101"));

        var (own, _) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, $"/v1/calls/{sid}", TestAccounts.FirstKey));
        var (other, error) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, $"/v1/calls/{sid}", TestAccounts.OtherKey));

        Assert.Equal(200, own);
        Assert.Equal(404, other);
        Assert.Equal("not_found", error.GetProperty("code").GetString());
    }

    public static TheoryData<string, string?, string?> Failures => new()
    {
        { "no credentials", null, null },
        { "wrong apikey", "apikey", "not-a-real-key-000000" },
        { "empty bearer", "Authorization", "Bearer " },
        { "wrong bearer", "Authorization", "Bearer not-a-real-key-000000" },
        { "unknown scheme", "Authorization", "Digest username=x" },
        { "basic not base64", "Authorization", "Basic %%%" },
        { "basic without colon", "Authorization", "Basic " + Convert.ToBase64String("AC0123456789abcdef0123456789abcdef"u8.ToArray()) },
        { "basic key of another account", "Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TestAccounts.FirstSid}:{TestAccounts.OtherKey}")) },
        { "basic wrong key", "Authorization", "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{TestAccounts.FirstSid}:nope-nope-nope-nope")) },
        { "a key differing in its last character", "apikey", TestAccounts.FirstKey[..^1] + "9" },
        { "a prefix of a key", "apikey", TestAccounts.FirstKey[..^2] },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Bad_credentials_get_a_401_json_error(string why, string? header, string? value)
    {
        var request = ListCalls();
        if (header is not null)
            request.Headers.TryAddWithoutValidation(header, value);

        using var response = await _daemon.Client.SendAsync(request);
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.True(401 == (int)response.StatusCode, why);
        Assert.Equal("unauthorized", body.GetProperty("code").GetString());
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Every_customer_route_requires_authentication()
    {
        string[] paths = ["/v1/calls", "/v1/calls/CA0123456789abcdef0123456789abcdef", "/v1/recordings/CA0123456789abcdef0123456789abcdef.wav",
            $"/2010-04-01/Accounts/{TestAccounts.FirstSid}/Calls.json"];
        foreach (var path in paths)
        {
            var (status, _) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, path, apiKey: null));
            Assert.Equal(401, status);
        }
        var (post, _) = await _daemon.SendAsync(TestDaemon.Form("/v1/calls", [new("from", "+15550100"), new("to", "+15550101")], apiKey: null));
        Assert.Equal(401, post);
    }

    [Fact]
    public async Task Operations_routes_need_no_key()
    {
        foreach (var path in new[] { "/healthz", "/readyz", "/metrics", "/version", "/openapi.yaml" })
        {
            using var response = await _daemon.Client.GetAsync(path);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
    }
}
