namespace Dialtone.Daemon.Tests.Support;

/// <summary>Reads the tab-separated test vectors under vectors/ (comment lines start with #).</summary>
public static class Vectors
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "vectors", relative);

    public static IEnumerable<string[]> Rows(string relative) =>
        File.ReadAllLines(PathOf(relative))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'));

    public static TheoryData<string, string, string> ThreeColumns(string relative)
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in Rows(relative))
            data.Add(row[0], row[1], row[2]);
        return data;
    }
}
