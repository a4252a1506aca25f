using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Dialtone.LoadDriver.Receiving;

/// <summary>
/// Decodes application/x-www-form-urlencoded text into its fields, keeping names exactly as sent:
/// the callbacks carry both <c>CallSid</c> and <c>callSid</c>, which ASP.NET's case-insensitive form
/// collection would merge into one.
/// </summary>
public static class FormFields
{
    public static List<KeyValuePair<string, string>> Parse(string text)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var pair in new QueryStringEnumerable(text))
            fields.Add(new(pair.DecodeName().ToString(), pair.DecodeValue().ToString()));
        return fields;
    }

    /// <summary>The body as text; callbacks are a few hundred bytes, anything over 64 KiB is cut there.</summary>
    public static async Task<string> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        return text.Length > 65536 ? text[..65536] : text;
    }
}
