using System.Security.Cryptography;
using System.Text;

namespace Dialtone.Daemon.Callbacks;

/// <summary>
/// Twilio's request signature, <c>X-Twilio-Signature</c>: base64 of HMAC-SHA1 keyed with the account's
/// auth token over the full URL followed by each POST field's name and value, fields sorted by name
/// (then by value for a repeated name). A GET has no fields: the query is part of the URL.
/// </summary>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> postFields)
    {
        var sorted = postFields.ToList();
        // Ordinal: Twilio's libraries sort by code point, not by culture.
        sorted.Sort((a, b) =>
        {
            var byName = string.CompareOrdinal(a.Key, b.Key);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        var data = new StringBuilder(url);
        foreach (var (name, value) in sorted)
            data.Append(name).Append(value);
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(mac);
    }

    /// <summary>Checks a received signature in constant time.</summary>
    public static bool Verify(string authToken, string url, IEnumerable<KeyValuePair<string, string>> postFields, string signature)
    {
        var expected = Encoding.ASCII.GetBytes(Compute(authToken, url, postFields));
        var actual = Encoding.ASCII.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
