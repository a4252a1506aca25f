namespace Dialtone.Engine.Rtp.Tests.TestSupport;

/// <summary>Reads the hex packet vectors under vectors/ (copied beside the test binaries).</summary>
internal static class Vectors
{
    /// <summary>Each non-comment line as (expected result, name, octets).</summary>
    public static IEnumerable<(string Expected, string Name, byte[] Bytes)> ReadHexLines(string relativePath)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "vectors", relativePath);
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] parts = line.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
            string hex = parts.Length > 2 ? parts[2] : "-";
            byte[] bytes = hex == "-" ? [] : Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));
            yield return (parts[0], parts[1], bytes);
        }
    }

    public static byte[] Named(string relativePath, string name) =>
        ReadHexLines(relativePath).Single(v => v.Name == name).Bytes;
}
