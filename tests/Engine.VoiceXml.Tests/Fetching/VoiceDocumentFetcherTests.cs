using Dialtone.Engine.VoiceXml.Errors;
using Dialtone.Engine.VoiceXml.Fetching;
using Dialtone.Engine.VoiceXml.Parsing;
using Dialtone.Engine.VoiceXml.Tests.Support;
using Dialtone.Engine.VoiceXml.Verbs;

namespace Dialtone.Engine.VoiceXml.Tests.Fetching;

public sealed class VoiceDocumentFetcherTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

    private static readonly KeyValuePair<string, string>[] Fields = [new("CallSid", "CA1"), new("From", "+1 555&x=y")];

    private static async Task<VoiceAppException> Fails(TestHttpServer server, VoiceFetchOptions? options = null, RequestMethod method = RequestMethod.Post)
    {
        var fetcher = Guards.LoopbackFetcher(options);
        return await Assert.ThrowsAsync<VoiceAppException>(async () =>
        {
            using var document = await fetcher.FetchAsync(new DocumentRequest(server.Url("/app"), method, Fields), CancellationToken.None).WaitAsync(HangGuard);
            using var reader = new VoiceDocumentReader(document.Body, document.Url);
            while (await reader.ReadAsync().AsTask().WaitAsync(HangGuard) is not null)
            {
            }
        });
    }

    [Fact]
    public async Task Post_sends_the_fields_form_encoded()
    {
        await using var server = TestHttpServer.ServingDocuments(new Dictionary<string, string> { ["/app"] = "<Response/>" });

        using var document = await Guards.LoopbackFetcher().FetchAsync(new DocumentRequest(server.Url("/app"), RequestMethod.Post, Fields), CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"]);
        Assert.Equal("+1 555&x=y", request.Form["From"]);
        Assert.Equal("CA1", request.Form["CallSid"]);
    }

    [Fact]
    public async Task A_small_body_of_declared_length_is_read_whole_and_parsed_from_memory()
    {
        await using var server = TestHttpServer.ServingDocuments(new Dictionary<string, string> { ["/app"] = "<Response><Say>Hello</Say><Hangup/></Response>" });

        using var document = await Guards.LoopbackFetcher().FetchAsync(new DocumentRequest(server.Url("/app"), RequestMethod.Get, Fields), CancellationToken.None);
        using var reader = new VoiceDocumentReader(document.Body, document.Url);

        Assert.IsType<MemoryStream>(document.Body);
        Assert.IsType<SayVerb>(await reader.ReadAsync());
        Assert.IsType<HangupVerb>(await reader.ReadAsync());
        Assert.Null(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_small_body_cut_short_of_its_declared_length_fails_instead_of_hanging()
    {
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "text/xml", contentLength: 400);
            await response.WriteAsync("<Response><Say>Hel");
            // Connection: close — the server goes away 380 bytes short.
        });

        var error = await Fails(server, method: RequestMethod.Get);

        Assert.Contains(error.Code, new[] { VoiceAppErrorCode.FetchFailed, VoiceAppErrorCode.UnparseableDocument });
    }

    [Fact]
    public async Task Get_appends_the_fields_to_the_existing_query()
    {
        await using var server = TestHttpServer.ServingDocuments(new Dictionary<string, string> { ["/app"] = "<Response/>" });

        using var document = await Guards.LoopbackFetcher().FetchAsync(new DocumentRequest(server.Url("/app?token=123"), RequestMethod.Get, Fields), CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("123", request.Form["token"]);
        Assert.Equal("+1 555&x=y", request.Form["From"]);
    }

    [Theory]
    [InlineData("text/xml")]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("application/twiml+xml")]
    [InlineData(null)]
    public async Task Xml_and_html_content_types_are_accepted(string? contentType)
    {
        await using var server = new TestHttpServer((_, response) => response.SendAsync(200, "<Response><Hangup/></Response>", contentType));

        using var document = await Guards.LoopbackFetcher().FetchAsync(new DocumentRequest(server.Url("/app"), RequestMethod.Post, []), CancellationToken.None);
        using var reader = new VoiceDocumentReader(document.Body, document.Url);

        Assert.IsType<HangupVerb>(await reader.ReadAsync());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("audio/mpeg")]
    [InlineData("text/plain")]
    public async Task Other_content_types_are_refused(string contentType)
    {
        await using var server = new TestHttpServer((_, response) => response.SendAsync(200, "{}", contentType));

        var ex = await Fails(server);

        Assert.Equal(VoiceAppErrorCode.BadContentType, ex.Code);
        Assert.Contains(contentType, ex.Message);
    }

    [Fact]
    public async Task Error_statuses_are_reported_with_the_status()
    {
        await using var server = new TestHttpServer((_, response) => response.SendAsync(500, "boom", "text/plain"));

        var ex = await Fails(server);

        Assert.Equal(VoiceAppErrorCode.HttpStatus, ex.Code);
        Assert.Contains("HTTP 500", ex.Message);
    }

    [Fact]
    public async Task An_http_redirect_loop_stops_at_the_redirect_limit()
    {
        await using var server = new TestHttpServer((request, response) =>
            response.SendAsync(302, string.Empty, null, $"Location: /loop{request.Path.Length}"));

        var ex = await Fails(server, VoiceFetchOptions.Default with { MaxAutomaticRedirections = 5 });

        Assert.Equal(VoiceAppErrorCode.RedirectLimit, ex.Code);
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public async Task A_declared_50_megabyte_body_is_refused_before_reading()
    {
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "text/xml", 50L * 1024 * 1024);
            await response.WriteAsync("<Response>");
            await Task.Delay(HangGuard);
        });

        var ex = await Fails(server);

        Assert.Equal(VoiceAppErrorCode.TooLarge, ex.Code);
        Assert.Contains("declares 52428800 bytes", ex.Message);
    }

    [Fact]
    public async Task A_chunked_50_megabyte_body_is_cut_off_while_streaming()
    {
        var sent = 0L;
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "text/xml", contentLength: null);
            await response.WriteAsync("<Response><Say>hi</Say><!--");
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'a');
            for (var i = 0; i < 800; i++)
            {
                await response.WriteAsync(chunk);
                Interlocked.Add(ref sent, chunk.Length);
            }
            await response.WriteAsync("--></Response>");
            await response.EndAsync();
        });

        var ex = await Fails(server);

        Assert.Equal(VoiceAppErrorCode.TooLarge, ex.Code);
        Assert.True(Interlocked.Read(ref sent) < 50L * 1024 * 1024);
    }

    [Fact]
    public async Task A_server_that_stalls_after_the_headers_hits_the_read_timeout()
    {
        await using var server = new TestHttpServer(async (_, response) =>
        {
            await response.SendHeadersAsync(200, "text/xml", contentLength: null);
            await response.WriteAsync("<Response><Say>one</Say>");
            await Task.Delay(HangGuard);
        });

        var ex = await Fails(server, VoiceFetchOptions.Default with { ReadIdleTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(VoiceAppErrorCode.Timeout, ex.Code);
        Assert.Contains("sent nothing for 0.3 s", ex.Message);
    }

    [Fact]
    public async Task A_server_that_never_answers_hits_the_response_timeout()
    {
        await using var server = new TestHttpServer((_, _) => Task.Delay(HangGuard));

        var ex = await Fails(server, VoiceFetchOptions.Default with { ResponseTimeout = TimeSpan.FromMilliseconds(300) });

        Assert.Equal(VoiceAppErrorCode.Timeout, ex.Code);
        Assert.Contains("did not answer within 0.3 s", ex.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_a_fetch_failure()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var ex = await Assert.ThrowsAsync<VoiceAppException>(() =>
            Guards.LoopbackFetcher().FetchAsync(new DocumentRequest(new Uri($"http://127.0.0.1:{port}/app"), RequestMethod.Post, []), CancellationToken.None));

        Assert.Equal(VoiceAppErrorCode.FetchFailed, ex.Code);
    }

    [Fact]
    public async Task The_request_hook_can_sign_requests()
    {
        await using var server = TestHttpServer.ServingDocuments(new Dictionary<string, string> { ["/app"] = "<Response/>" });
        var options = VoiceFetchOptions.Default with
        {
            ConfigureRequest = (message, fields) => message.Headers.Add("X-Twilio-Signature", $"fields={fields.Count}"),
        };

        using var document = await Guards.LoopbackFetcher(options).FetchAsync(new DocumentRequest(server.Url("/app"), RequestMethod.Post, Fields), CancellationToken.None);

        Assert.Equal("fields=2", Assert.Single(server.Requests).Headers["X-Twilio-Signature"]);
    }

    [Fact]
    public async Task Relative_urls_resolve_against_the_url_after_http_redirects()
    {
        await using var server = new TestHttpServer((request, response) => request.Path == "/old/app"
            ? response.SendAsync(302, string.Empty, null, "Location: /new/app")
            : response.SendAsync(200, "<Response><Redirect>next</Redirect></Response>"));

        using var document = await Guards.LoopbackFetcher().FetchAsync(new DocumentRequest(server.Url("/old/app"), RequestMethod.Get, []), CancellationToken.None);
        using var reader = new VoiceDocumentReader(document.Body, document.Url);

        Assert.Equal(server.Url("/new/next"), Assert.IsType<RedirectVerb>(await reader.ReadAsync()).Url);
    }
}
