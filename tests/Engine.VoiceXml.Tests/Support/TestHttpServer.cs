using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Dialtone.Engine.VoiceXml.Tests.Support;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 with an ephemeral port: real sockets, one request per
/// connection, and a handler that writes the response byte by byte when it wants to.
/// </summary>
public sealed class TestHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<TestHttpRequest, TestHttpResponse, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly ConcurrentBag<Task> _connections = [];

    public TestHttpServer(Func<TestHttpRequest, TestHttpResponse, Task> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = AcceptAsync();
    }

    /// <summary>A server whose every path answers with the document at that path in <paramref name="documents"/> (404 otherwise).</summary>
    public static TestHttpServer ServingDocuments(IReadOnlyDictionary<string, string> documents) =>
        new(async (request, response) =>
        {
            if (documents.TryGetValue(request.Path, out var body))
                await response.SendAsync(200, body);
            else
                await response.SendAsync(404, "not found", "text/plain");
        });

    public Uri BaseUri { get; }

    public ConcurrentQueue<TestHttpRequest> Requests { get; } = new();

    public Uri Url(string pathAndQuery) => new(BaseUri, pathAndQuery);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _connections.Add(ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream);
                if (request is null)
                    return;
                Requests.Enqueue(request);
                await _handler(request, new TestHttpResponse(stream));
            }
            catch (Exception)
            {
                // The client went away (tests that abort early); nothing to report.
            }
        }
    }

    private async Task<TestHttpRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            var n = await stream.ReadAsync(one, _stop.Token);
            if (n == 0)
                return null;
            buffer.Add(one[0]);
            var c = buffer.Count;
            if (c >= 4 && buffer[c - 4] == '\r' && buffer[c - 3] == '\n' && buffer[c - 2] == '\r' && buffer[c - 1] == '\n')
                break;
        }
        var head = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var requestLine = head[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = string.Empty;
        if (headers.TryGetValue("Content-Length", out var lengthText) && int.Parse(lengthText) is > 0 and var length)
        {
            var bytes = new byte[length];
            await stream.ReadExactlyAsync(bytes, _stop.Token);
            body = Encoding.UTF8.GetString(bytes);
        }
        return new TestHttpRequest(requestLine[0], requestLine[1], headers, body);
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        await Task.WhenAny(Task.WhenAll(_connections), Task.Delay(2000));
        _stop.Dispose();
    }
}
