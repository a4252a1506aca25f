using Dialtone.Daemon.Callbacks;

namespace Dialtone.Daemon.Tests.Callbacks;

public sealed class CallbackUrlTests
{
    [Theory]
    [InlineData("https://h.example.com/cb", "token=123456", "https://h.example.com/cb?token=123456")]
    [InlineData("https://h.example.com/cb?a=1", "token=123456", "https://h.example.com/cb?a=1&token=123456")]
    [InlineData("https://h.example.com/cb?", "token=1", "https://h.example.com/cb?token=1")]
    [InlineData("https://h.example.com/cb?a=1&", "token=1", "https://h.example.com/cb?a=1&token=1")]
    [InlineData("https://h.example.com/cb#top", "token=1", "https://h.example.com/cb?token=1#top")]
    [InlineData("https://h.example.com/cb", "?token=1", "https://h.example.com/cb?token=1")]
    [InlineData("https://h.example.com/cb", null, "https://h.example.com/cb")]
    public void The_optional_token_is_appended_to_the_query(string url, string? optional, string expected) =>
        Assert.Equal(expected, CallbackUrl.WithOptional(url, optional));

    [Fact]
    public void Only_scheme_host_and_path_are_logged() =>
        Assert.Equal("https://h.example.com/cb", CallbackUrl.Loggable("https://h.example.com/cb?apikey=secret&token=1"));
}
