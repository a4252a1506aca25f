using System.Buffers;
using Microsoft.AspNetCore.WebUtilities;

namespace Dialtone.Daemon.Callbacks;

/// <summary><c>application/x-www-form-urlencoded</c> for callback fields (WHATWG URL §5.2, percent-encoding per RFC 3986).</summary>
public static class FormEncoding
{
    public static string Encode(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        // A UTF-16 character percent-encodes to at most 9 (three UTF-8 bytes as %XX; a surrogate pair
        // is 4 bytes for 2 characters). One pooled buffer of that worst case, then one string: each
        // callback body is built once per event, four or more times per call.
        var worst = 0;
        foreach (var (name, value) in fields)
            worst += 9 * (name.Length + value.Length) + 2;
        var rented = ArrayPool<char>.Shared.Rent(Math.Max(worst, 1));
        try
        {
            var buffer = rented.AsSpan();
            var length = 0;
            foreach (var (name, value) in fields)
            {
                if (length > 0)
                    buffer[length++] = '&';
                length += Escape(name, buffer[length..]);
                buffer[length++] = '=';
                length += Escape(value, buffer[length..]);
            }
            return new string(buffer[..length]);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static int Escape(string text, Span<char> destination)
    {
        if (!Uri.TryEscapeDataString(text, destination, out var written))
            throw new InvalidOperationException("the form buffer is smaller than the worst case"); // unreachable: sized for 9x
        return written;
    }

    /// <summary>Decodes a form body (<c>+</c> is a space) into its fields, in order, names exactly as sent.</summary>
    public static List<KeyValuePair<string, string>> Decode(string body)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var pair in new QueryStringEnumerable(body))
            fields.Add(new(pair.DecodeName().ToString(), pair.DecodeValue().ToString()));
        return fields;
    }
}
