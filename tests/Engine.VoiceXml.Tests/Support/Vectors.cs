namespace Dialtone.Engine.VoiceXml.Tests.Support;

/// <summary>Test vectors stored as files under vectors/ (copied next to the test assembly).</summary>
public static class Vectors
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "vectors", relative);

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));
}
