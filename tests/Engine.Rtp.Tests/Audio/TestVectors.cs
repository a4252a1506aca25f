using System.Runtime.CompilerServices;

namespace Dialtone.Engine.Rtp.Tests.Audio;

/// <summary>
/// Finds the files in Audio/Vectors: copied beside the test binaries (when the project copies
/// them), else beside this source file (when the build recorded its path), else by walking up
/// from the binaries and the working directory to the repository.
/// </summary>
internal static class TestVectors
{
    private const string RelativeFolder = "tests/Engine.Rtp.Tests/Audio/Vectors";

    private static readonly Lazy<string> Folder = new(Locate);

    public static string PathOf(string name) => System.IO.Path.Combine(Folder.Value, name);

    public static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    private static string Locate() => Locate(SourceDirectory());

    private static string Locate(string? sourceDirectory)
    {
        string copied = System.IO.Path.Combine(AppContext.BaseDirectory, "Audio", "Vectors");
        if (Directory.Exists(copied))
        {
            return copied;
        }

        if (sourceDirectory is not null)
        {
            string beside = System.IO.Path.Combine(sourceDirectory, "Vectors");
            if (Directory.Exists(beside))
            {
                return beside;
            }
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = System.IO.Path.Combine(directory.FullName, RelativeFolder);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new DirectoryNotFoundException($"The test vectors ({RelativeFolder}) were not found.");
    }

    private static string? SourceDirectory([CallerFilePath] string path = "") =>
        string.IsNullOrEmpty(path) ? null : System.IO.Path.GetDirectoryName(path);
}
