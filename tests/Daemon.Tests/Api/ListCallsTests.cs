using System.Text.Json;
using Dialtone.Daemon.Tests.Support;

namespace Dialtone.Daemon.Tests.Api;

public sealed class ListCallsTests : IAsyncLifetime
{
    private TestDaemon _daemon = null!;
    private readonly List<string> _sids = [];

    public async Task InitializeAsync()
    {
        _daemon = await TestDaemon.StartAsync();
        for (var i = 0; i < 7; i++)
            _sids.Add(await _daemon.CreateCallAsync(("from", i % 2 == 0 ? "+15550100" : "+15550199"), ("to", $"+1555020{i}")));
        // One call of another account, never listed here.
        await _daemon.SendAsync(TestDaemon.Form("/v1/calls", [new("from", "+15550100"), new("to", "+15550201")], TestAccounts.OtherKey));
    }

    public async Task DisposeAsync() => await _daemon.DisposeAsync();

    private async Task<JsonElement> GetAsync(string uri)
    {
        var (status, body) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, uri));
        Assert.True(status == 200, $"{uri}: {status} {body}");
        return body;
    }

    [Fact]
    public async Task Pages_follow_one_another_newest_first_without_overlap()
    {
        var seen = new List<string>();
        var page = await GetAsync("/v1/calls?pageSize=3");
        var pages = 0;
        while (true)
        {
            pages++;
            Assert.Equal(7, page.GetProperty("total").GetInt32());
            seen.AddRange(page.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("sid").GetString()!));
            var next = page.GetProperty("next_page_uri");
            if (next.ValueKind == JsonValueKind.Null)
                break;
            page = await GetAsync(next.GetString()!);
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(_sids), seen);
    }

    [Fact]
    public async Task Page_links_are_consistent()
    {
        var page = await GetAsync("/v1/calls?pageSize=3&page=1");

        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(3, page.GetProperty("page_size").GetInt32());
        Assert.Equal("/v1/calls?pageSize=3&page=1", page.GetProperty("uri").GetString());
        Assert.Equal("/v1/calls?pageSize=3&page=0", page.GetProperty("previous_page_uri").GetString());
        Assert.Equal("/v1/calls?pageSize=3&page=0", page.GetProperty("first_page_uri").GetString());
        Assert.Equal("/v1/calls?pageSize=3&page=2", page.GetProperty("next_page_uri").GetString());
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty()
    {
        var page = await GetAsync("/v1/calls?page=5&pageSize=10");

        Assert.Empty(page.GetProperty("calls").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_page_uri").ValueKind);
    }

    [Fact]
    public async Task Filters_select_by_status_to_and_from()
    {
        await _daemon.SendAsync(TestDaemon.Form($"/v1/calls/{_sids[0]}", [new("status", "canceled")]));

        var canceled = await GetAsync("/v1/calls?status=canceled");
        var byTo = await GetAsync("/v1/calls?to=%2B15550203");
        var byFrom = await GetAsync("/v1/calls?from=%2B15550199");
        var queued = await GetAsync("/v1/calls?Status=queued&From=%2B15550100");

        Assert.Equal(_sids[0], Assert.Single(canceled.GetProperty("calls").EnumerateArray()).GetProperty("sid").GetString());
        Assert.Equal(_sids[3], Assert.Single(byTo.GetProperty("calls").EnumerateArray()).GetProperty("sid").GetString());
        Assert.Equal(3, byFrom.GetProperty("total").GetInt32());
        Assert.Equal(3, queued.GetProperty("total").GetInt32());
        Assert.Equal("/v1/calls?status=queued&from=%2B15550100&pageSize=50&page=0", queued.GetProperty("uri").GetString());
    }

    [Theory]
    [InlineData("/v1/calls?status=answered", "invalid_status", "status")]
    [InlineData("/v1/calls?page=-1", "out_of_range", "page")]
    [InlineData("/v1/calls?page=x", "invalid_value", "page")]
    [InlineData("/v1/calls?pageSize=0", "out_of_range", "pageSize")]
    [InlineData("/v1/calls?pageSize=101", "out_of_range", "pageSize")]
    [InlineData("/v1/calls?to=1&to=2", "repeated_parameter", "to")]
    public async Task Bad_list_parameters_are_refused(string uri, string code, string field)
    {
        var (status, error) = await _daemon.SendAsync(TestDaemon.Request(HttpMethod.Get, uri));

        Assert.Equal(400, status);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(field, error.GetProperty("field").GetString());
    }
}
