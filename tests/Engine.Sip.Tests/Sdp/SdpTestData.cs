using System.Runtime.CompilerServices;
using System.Text;

namespace Dialtone.Engine.Sip.Tests.Sdp;

/// <summary>
/// Finds the test vectors: next to the test assembly when the build copies them, otherwise in the
/// source tree beside this file (the path the compiler recorded), so the tests read the committed bytes.
/// </summary>
internal static class SdpTestData
{
    /// <summary>A file of Sdp/vectors.</summary>
    public static byte[] SdpFile(string name) => File.ReadAllBytes(Locate(Path.Combine("Sdp", "vectors", name)));

    /// <summary>A SIP message of the shared vectors folder, e.g. "rfc5118/ipv6-in-sdp.sip".</summary>
    public static byte[] SipVector(string relativePath) => File.ReadAllBytes(Locate(Path.Combine("vectors", relativePath)));

    /// <summary>A message of the benchmark data set (bench/Engine.Sip.Benchmarks/data).</summary>
    public static byte[] BenchMessage(string name)
    {
        string copied = Path.Combine(AppContext.BaseDirectory, "bench-data", name);
        return File.ReadAllBytes(
            File.Exists(copied) ? copied : Path.Combine(RepositoryRoot(), "bench", "Engine.Sip.Benchmarks", "data", name));
    }

    /// <summary>The body of a SIP message: everything after the first empty line.</summary>
    public static byte[] BodyOf(byte[] message)
    {
        int end = message.AsSpan().IndexOf("\r\n\r\n"u8);
        Assert.True(end >= 0, "the message has no empty line");
        return message.AsSpan(end + 4).ToArray();
    }

    /// <summary>Text for assertions.</summary>
    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>CRLF-terminated SDP from lines written with \n.</summary>
    public static byte[] Crlf(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    private static string Locate(string relativePath)
    {
        string copied = Path.Combine(AppContext.BaseDirectory, relativePath);
        return File.Exists(copied) ? copied : Path.Combine(ProjectDirectory(), relativePath);
    }

    private static string ProjectDirectory([CallerFilePath] string thisFile = "") =>
        Path.GetDirectoryName(Path.GetDirectoryName(thisFile)!)!;

    private static string RepositoryRoot() => Path.GetFullPath(Path.Combine(ProjectDirectory(), "..", ".."));
}
