namespace Dialtone.Benchmarks;

/// <summary>The exact bench messages (data/, copied beside the assembly).</summary>
internal static class BenchMessages
{
    public static byte[] Load(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "data", name));
}
