using Dialtone.Engine.VoiceXml.Fetching;

namespace Dialtone.Engine.VoiceXml.Tests.Support;

/// <summary>HTTP clients for tests: the test servers live on 127.0.0.1, so loopback is allowed explicitly.</summary>
public static class Guards
{
    public static HttpClient LoopbackClient(VoiceFetchOptions? options = null) =>
        VoiceDocumentFetcher.CreateHttpClient(new OutboundAddressGuard(OutboundAddressPolicy.AllowLoopbackOnly), options);

    public static VoiceDocumentFetcher LoopbackFetcher(VoiceFetchOptions? options = null) =>
        new(LoopbackClient(options), options);
}
