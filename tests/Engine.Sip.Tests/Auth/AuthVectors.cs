using System.Runtime.CompilerServices;

namespace Dialtone.Engine.Sip.Tests.Auth;

/// <summary>Reads the files of Auth/vectors: from the test output when they are copied there,
/// otherwise from beside this source file.</summary>
internal static class AuthVectors
{
    public static string PathOf(string fileName) => Locate(fileName);

    /// <summary>The non-comment, non-empty lines of a vector file, split on tabs.</summary>
    public static IEnumerable<string[]> TabSeparatedRows(string fileName) =>
        File.ReadAllLines(Locate(fileName))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'));

    /// <summary>The [name] blocks of a key = value vector file.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Blocks(string fileName)
    {
        var blocks = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        Dictionary<string, string>? current = null;
        foreach (var line in File.ReadAllLines(Locate(fileName)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            if (line.StartsWith('['))
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                blocks.Add(line.Trim('[', ']'), current);
                continue;
            }
            int equals = line.IndexOf(" = ", StringComparison.Ordinal);
            if (current is null || equals < 0)
                throw new InvalidDataException($"{fileName}: cannot read line '{line}'");
            current[line[..equals]] = line[(equals + 3)..];
        }
        return blocks;
    }

    /// <summary>Decodes the \r \n \t and \0 escapes the vector files use for control characters.</summary>
    public static string Unescape(string text) =>
        text.Replace("\\r", "\r", StringComparison.Ordinal)
            .Replace("\\n", "\n", StringComparison.Ordinal)
            .Replace("\\t", "\t", StringComparison.Ordinal)
            .Replace("\\0", "\0", StringComparison.Ordinal);

    private static string Locate(string fileName, [CallerFilePath] string thisFile = "")
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Auth", "vectors", fileName);
        if (File.Exists(copied))
            return copied;
        var besideSource = Path.Combine(Path.GetDirectoryName(thisFile) ?? ".", "vectors", fileName);
        if (File.Exists(besideSource))
            return besideSource;
        throw new FileNotFoundException($"Test vector file '{fileName}' not found in the test output or the source tree.", copied);
    }
}
