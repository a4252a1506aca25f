using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Dialtone.Daemon.Callbacks;

namespace Dialtone.Daemon.Api;

/// <summary>
/// Reads a request body as parameters: <c>application/x-www-form-urlencoded</c> or <c>application/json</c>
/// (an object of strings, numbers, booleans, or arrays of them), bounded in size.
/// </summary>
public static class RequestParameterReader
{
    public static async Task<(RequestParameters? Parameters, ApiProblem? Problem)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            return (null, TooLarge(maxBytes));

        var body = await ReadBodyAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
            return (null, TooLarge(maxBytes));

        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return body.Length == 0
                ? (RequestParameters.Empty, null)
                : (null, new ApiProblem(ApiErrorCode.UnsupportedMediaType, "a body needs a Content-Type: application/x-www-form-urlencoded or application/json"));
        }
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType))
            return (null, new ApiProblem(ApiErrorCode.UnsupportedMediaType, $"Content-Type '{contentType}' cannot be parsed"));

        if (string.Equals(mediaType.MediaType, "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return ParseForm(body);
        if (string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase)
            || (mediaType.MediaType?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false))
            return ParseJson(body);
        return (null, new ApiProblem(ApiErrorCode.UnsupportedMediaType,
            $"Content-Type '{mediaType.MediaType}' is not supported; use application/x-www-form-urlencoded or application/json"));
    }

    /// <summary>The body, or null when it is longer than <paramref name="maxBytes"/> (chunked bodies have no length up front).</summary>
    private static async Task<byte[]?> ReadBodyAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 16 * 1024));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                        return null;
                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                    break;
                length += read;
                if (length > maxBytes)
                    return null;
            }
            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static (RequestParameters?, ApiProblem?) ParseForm(byte[] body)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return (null, new ApiProblem(ApiErrorCode.MalformedBody, "the form body is not valid UTF-8"));
        }
        var parameters = new RequestParameters();
        try
        {
            foreach (var (name, value) in FormEncoding.Decode(text))
            {
                if (name.Length > 0)
                    parameters.Add(name, value);
            }
        }
        catch (UriFormatException)
        {
            return (null, new ApiProblem(ApiErrorCode.MalformedBody, "the form body is not valid URL encoding"));
        }
        return (parameters, null);
    }

    private static (RequestParameters?, ApiProblem?) ParseJson(byte[] body)
    {
        if (body.Length == 0)
            return (RequestParameters.Empty, null);
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, new ApiProblem(ApiErrorCode.MalformedBody, "the JSON body must be an object of parameters"));
            var parameters = new RequestParameters();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        if (!TryScalar(item, out var value))
                            return (null, NotScalar(property.Name));
                        if (value is not null)
                            parameters.Add(property.Name, value);
                    }
                    continue;
                }
                if (!TryScalar(property.Value, out var single))
                    return (null, NotScalar(property.Name));
                if (single is not null)
                    parameters.Add(property.Name, single);
            }
            return (parameters, null);
        }
        catch (JsonException ex)
        {
            return (null, new ApiProblem(ApiErrorCode.MalformedBody, $"the JSON body cannot be parsed: {ex.Message}"));
        }
    }

    private static ApiProblem NotScalar(string name) =>
        new(ApiErrorCode.MalformedBody, $"'{name}' must be a string, number, boolean, or an array of them", name);

    /// <summary>A JSON scalar as the text a form would carry; null for JSON null (treated as absent).</summary>
    private static bool TryScalar(JsonElement element, out string? value)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = element.GetString();
                return true;
            case JsonValueKind.Number:
                value = element.GetRawText();
                return true;
            case JsonValueKind.True:
                value = "true";
                return true;
            case JsonValueKind.False:
                value = "false";
                return true;
            case JsonValueKind.Null:
                value = null;
                return true;
            default:
                value = null;
                return false;
        }
    }

    private static ApiProblem TooLarge(int maxBytes) =>
        new(ApiErrorCode.BodyTooLarge, $"the request body is larger than {maxBytes.ToString(CultureInfo.InvariantCulture)} bytes");
}
