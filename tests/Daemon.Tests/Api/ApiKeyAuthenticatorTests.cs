using System.Text;
using Dialtone.Daemon.Auth;
using Dialtone.Daemon.Config;

namespace Dialtone.Daemon.Tests.Api;

public sealed class ApiKeyAuthenticatorTests
{
    private static readonly AccountOptions[] Accounts =
    [
        new() { Sid = "AC0123456789abcdef0123456789abcdef", Keys = ["key-a-0123456789abcdef", "key-b-0123456789abcdef"] },
        new() { Sid = "ACffffffffffffffffffffffffffffffff", Keys = ["key-c-0123456789abcdef"] },
    ];

    private static readonly ApiKeyAuthenticator Authenticator = new(Accounts, new AccountDirectory(Accounts, new LimitsOptions()));

    [Fact]
    public void The_apikey_header_wins_over_authorization()
    {
        var result = Authenticator.Authenticate("key-c-0123456789abcdef", "Bearer key-a-0123456789abcdef");

        Assert.Equal("ACffffffffffffffffffffffffffffffff", result.Account!.Sid);
    }

    [Fact]
    public void Basic_auth_schemes_are_case_insensitive_and_the_key_may_contain_colons()
    {
        var accounts = new[] { new AccountOptions { Sid = "AC0123456789abcdef0123456789abcdef", Keys = ["with:colon:0123456789"] } };
        var authenticator = new ApiKeyAuthenticator(accounts, new AccountDirectory(accounts, new LimitsOptions()));
        var basic = "basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("AC0123456789abcdef0123456789abcdef:with:colon:0123456789"));

        Assert.True(authenticator.Authenticate(null, basic).IsAuthenticated);
        Assert.True(authenticator.Authenticate(null, "BEARER with:colon:0123456789").IsAuthenticated);
    }

    [Theory]
    [InlineData(null, null, AuthFailure.Missing)]
    [InlineData("", "  ", AuthFailure.Missing)]
    [InlineData(null, "Bearer", AuthFailure.Malformed)]
    [InlineData(null, "Token abc", AuthFailure.Malformed)]
    [InlineData(null, "Basic ***", AuthFailure.Malformed)]
    [InlineData("wrong-key-0123456789", null, AuthFailure.InvalidKey)]
    public void Failures_say_why(string? apiKey, string? authorization, AuthFailure expected) =>
        Assert.Equal(expected, Authenticator.Authenticate(apiKey, authorization).Failure);
}
