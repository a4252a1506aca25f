using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Dialtone.Daemon.Callbacks;

/// <summary><c>application/x-www-form-urlencoded</c> for callback fields (WHATWG URL §5.2, percent-encoding per RFC 3986).</summary>
public static class FormEncoding
{
    public static string Encode(IReadOnlyList<KeyValuePair<string, string>> fields)
    {
        var builder = new StringBuilder(fields.Count * 24);
        foreach (var (name, value) in fields)
        {
            if (builder.Length > 0)
                builder.Append('&');
            builder.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return builder.ToString();
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
