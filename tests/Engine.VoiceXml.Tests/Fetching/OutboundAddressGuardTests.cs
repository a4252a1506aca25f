using System.Net;
using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Fetching;
using Dialtone.Engine.VoiceXml.Tests.Support;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Tests.Fetching;

public sealed class OutboundAddressGuardTests
{
    [Theory]
    [InlineData("8.8.8.8", AddressCategory.Public)]
    [InlineData("2001:4860:4860::8888", AddressCategory.Public)]
    [InlineData("169.254.169.254", AddressCategory.Metadata)]
    [InlineData("fd00:ec2::254", AddressCategory.Metadata)]
    [InlineData("100.100.100.200", AddressCategory.Metadata)]
    [InlineData("::ffff:169.254.169.254", AddressCategory.Metadata)]
    [InlineData("169.254.1.1", AddressCategory.LinkLocal)]
    [InlineData("fe80::1", AddressCategory.LinkLocal)]
    [InlineData("127.0.0.1", AddressCategory.Loopback)]
    [InlineData("127.8.9.10", AddressCategory.Loopback)]
    [InlineData("::1", AddressCategory.Loopback)]
    [InlineData("::ffff:127.0.0.1", AddressCategory.Loopback)]
    [InlineData("10.1.2.3", AddressCategory.Private)]
    [InlineData("172.16.0.1", AddressCategory.Private)]
    [InlineData("172.31.255.255", AddressCategory.Private)]
    [InlineData("172.32.0.1", AddressCategory.Public)]
    [InlineData("192.168.1.1", AddressCategory.Private)]
    [InlineData("100.64.0.1", AddressCategory.Private)]
    [InlineData("100.127.255.255", AddressCategory.Private)]
    [InlineData("100.128.0.1", AddressCategory.Public)]
    [InlineData("fc00::1", AddressCategory.Private)]
    [InlineData("fd12:3456::1", AddressCategory.Private)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressCategory.Metadata)]
    [InlineData("224.0.0.1", AddressCategory.Multicast)]
    [InlineData("ff02::1", AddressCategory.Multicast)]
    [InlineData("0.0.0.0", AddressCategory.Unspecified)]
    [InlineData("::", AddressCategory.Unspecified)]
    [InlineData("255.255.255.255", AddressCategory.Reserved)]
    public void Addresses_are_categorized_by_range(string address, AddressCategory expected)
    {
        Assert.Equal(expected, OutboundAddressGuard.Categorize(IPAddress.Parse(address)));
    }

    [Fact]
    public void Default_policy_allows_only_public_addresses_and_never_metadata()
    {
        var everything = new OutboundAddressPolicy { AllowLoopback = true, AllowPrivate = true };

        Assert.True(OutboundAddressPolicy.Default.Allows(AddressCategory.Public));
        Assert.False(OutboundAddressPolicy.Default.Allows(AddressCategory.Loopback));
        Assert.False(OutboundAddressPolicy.Default.Allows(AddressCategory.Private));
        Assert.True(everything.Allows(AddressCategory.Private));
        foreach (var never in new[] { AddressCategory.Metadata, AddressCategory.LinkLocal, AddressCategory.Multicast, AddressCategory.Unspecified, AddressCategory.Reserved })
            Assert.False(everything.Allows(never));
    }

    [Fact]
    public async Task The_metadata_address_is_refused_without_connecting()
    {
        using var client = VoiceDocumentFetcher.CreateHttpClient(new OutboundAddressGuard(new OutboundAddressPolicy { AllowLoopback = true, AllowPrivate = true }));
        var fetcher = new VoiceDocumentFetcher(client);

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() =>
            fetcher.FetchAsync(new DocumentRequest(new Uri("http://169.254.169.254/latest/meta-data/"), RequestMethod.Get, []), CancellationToken.None));

        Assert.Equal(VoiceAppErrorCode.ForbiddenAddress, ex.Code);
        Assert.Contains("cloud metadata", ex.Message);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_metadata_is_refused()
    {
        var guard = new OutboundAddressGuard(OutboundAddressPolicy.Default,
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("169.254.169.254") }));
        using var client = VoiceDocumentFetcher.CreateHttpClient(guard);

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() =>
            new VoiceDocumentFetcher(client).FetchAsync(new DocumentRequest(new Uri("http://innocent.example/app"), RequestMethod.Post, []), CancellationToken.None));

        Assert.Equal(VoiceAppErrorCode.ForbiddenAddress, ex.Code);
        Assert.Contains("innocent.example", ex.Message);
    }

    [Fact]
    public async Task A_host_that_mixes_a_public_and_a_loopback_address_is_refused()
    {
        await using var server = TestHttpServer.ServingDocuments(new Dictionary<string, string> { ["/app"] = "<Response/>" });
        var guard = new OutboundAddressGuard(OutboundAddressPolicy.Default,
            (_, _) => Task.FromResult(new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Loopback }));

        var ex = await Assert.ThrowsAsync<OutboundAddressRefusedException>(() => guard.ResolveAllowedAsync("rebind.example", CancellationToken.None));

        Assert.Equal(AddressCategory.Loopback, ex.Category);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Loopback_is_refused_by_default_and_reached_when_allowed()
    {
        await using var server = TestHttpServer.ServingDocuments(new Dictionary<string, string> { ["/app"] = "<Response><Hangup/></Response>" });
        var request = new DocumentRequest(server.Url("/app"), RequestMethod.Post, []);
        using var strict = VoiceDocumentFetcher.CreateHttpClient(new OutboundAddressGuard(OutboundAddressPolicy.Default));

        var refused = await Assert.ThrowsAsync<VoiceAppException>(() => new VoiceDocumentFetcher(strict).FetchAsync(request, CancellationToken.None));
        Assert.Equal(VoiceAppErrorCode.ForbiddenAddress, refused.Code);
        Assert.Empty(server.Requests);

        using var allowed = await Guards.LoopbackFetcher().FetchAsync(request, CancellationToken.None);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_http_redirect_to_the_metadata_address_is_refused()
    {
        await using var server = new TestHttpServer((_, response) =>
            response.SendAsync(302, string.Empty, null, "Location: http://169.254.169.254/latest/meta-data/iam"));

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() =>
            Guards.LoopbackFetcher().FetchAsync(new DocumentRequest(server.Url("/app"), RequestMethod.Get, []), CancellationToken.None));

        Assert.Equal(VoiceAppErrorCode.ForbiddenAddress, ex.Code);
    }
}
