using System.Text;

namespace Dialtone.Engine.Sip.Tests;

/// <summary>Loads test files copied next to the test assembly.</summary>
internal static class TestFiles
{
    public static string PathOf(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    public static byte[] Read(params string[] parts) => File.ReadAllBytes(PathOf(parts));

    public static byte[] Message(string name) => Read("Message", "vectors", name);

    public static byte[] Bench(string name) => Read("bench-data", name);

    /// <summary>Builds wire bytes from text lines joined with CRLF.</summary>
    public static byte[] Crlf(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines));
}
