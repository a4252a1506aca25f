using System.Text.RegularExpressions;

namespace Dialtone.Engine.Sip.Tests.Auth;

/// <summary>Reads back the parameters of an Authorization value, the way a server would, to check
/// what the authenticator wrote. Deliberately separate from the code under test.</summary>
internal static partial class DigestHeaderReader
{
    public static IReadOnlyDictionary<string, string> Parameters(string authorization)
    {
        Assert.StartsWith("Digest ", authorization, StringComparison.Ordinal);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in Parameter().Matches(authorization["Digest ".Length..]))
        {
            string value = match.Groups["quoted"].Success
                ? Regex.Replace(match.Groups["quoted"].Value, @"\\(.)", "$1")
                : match.Groups["token"].Value;
            Assert.True(result.TryAdd(match.Groups["name"].Value, value), $"duplicate parameter {match.Groups["name"].Value}");
        }
        return result;
    }

    /// <summary>Whether the parameter was written quoted.</summary>
    public static bool IsQuoted(string authorization, string name) =>
        Regex.IsMatch(authorization, $@"(^|[ ,]){Regex.Escape(name)}=""");

    [GeneratedRegex(@"(?<name>[A-Za-z*]+)=(?:""(?<quoted>(?:[^""\\]|\\.)*)""|(?<token>[^,\s]+))")]
    private static partial Regex Parameter();
}
