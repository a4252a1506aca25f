using System.Text;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>
/// Loads message templates from a vectors folder and fills their {placeholders}. Files are kept
/// with plain line ends; SIP wants CRLF, so every line end becomes CRLF here.
/// </summary>
internal static class SipTemplates
{
    public static string Text(string folder, string name) => File.ReadAllText(TestFiles.PathOf(folder, "vectors", name));

    public static byte[] Fill(string template, params (string Key, object Value)[] values)
    {
        var text = new StringBuilder(template.Replace("\r\n", "\n"));
        foreach (var (key, value) in values)
            text.Replace("{" + key + "}", Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
        string filled = text.ToString();
        if (filled.Contains('{') && System.Text.RegularExpressions.Regex.IsMatch(filled, @"\{[a-zA-Z]+\}"))
            throw new InvalidOperationException("A placeholder was left unfilled: " + filled);
        return Encoding.UTF8.GetBytes(filled.Replace("\n", "\r\n"));
    }

    public static byte[] Load(string folder, string name, params (string Key, object Value)[] values) =>
        Fill(Text(folder, name), values);

    /// <summary>A message from Transactions/vectors.</summary>
    public static byte[] Transaction(string name, params (string Key, object Value)[] values) => Load("Transactions", name, values);
}
