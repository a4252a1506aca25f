using System.Text;

namespace Dialtone.Engine.VoiceXml.Tests.Support;

/// <summary>Writes a raw HTTP/1.1 response, so tests control every byte and every pause.</summary>
public sealed class TestHttpResponse(Stream stream)
{
    private bool _chunked;

    public bool HeadersSent { get; private set; }

    /// <summary>Sends the status line and headers; a null length means chunked transfer encoding.</summary>
    public async Task SendHeadersAsync(int status, string? contentType = "text/xml", long? contentLength = null, params string[] extraHeaders)
    {
        var head = new StringBuilder();
        head.Append($"HTTP/1.1 {status} {Reason(status)}\r\n");
        if (contentType is not null)
            head.Append($"Content-Type: {contentType}\r\n");
        _chunked = contentLength is null;
        head.Append(_chunked ? "Transfer-Encoding: chunked\r\n" : $"Content-Length: {contentLength}\r\n");
        head.Append("Connection: close\r\n");
        foreach (var header in extraHeaders)
            head.Append(header).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.FlushAsync();
        HeadersSent = true;
    }

    public Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        if (_chunked)
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"));
        await stream.WriteAsync(bytes);
        if (_chunked)
            await stream.WriteAsync("\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    public async Task EndAsync()
    {
        if (_chunked)
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        await stream.FlushAsync();
    }

    /// <summary>A complete response with a Content-Length.</summary>
    public async Task SendAsync(int status, string body, string? contentType = "text/xml", params string[] extraHeaders)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        await SendHeadersAsync(status, contentType, bytes.Length, extraHeaders);
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    public async Task SendBytesAsync(int status, byte[] body, string? contentType, params string[] extraHeaders)
    {
        await SendHeadersAsync(status, contentType, body.Length, extraHeaders);
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    };
}
