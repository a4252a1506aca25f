using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Api;

/// <summary>Where recordings live: <c>&lt;data&gt;/recordings/&lt;CallSid&gt;.wav</c>, or the path the media engine reported.</summary>
public sealed class RecordingStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The default file for a call's whole-call recording (where the media engine writes it).</summary>
    public string DefaultPathOf(string callSid) => Path.Combine(Directory, callSid + ".wav");

    /// <summary>The recording file of <paramref name="call"/> if one exists inside the recordings directory.</summary>
    public string? PathOf(CallRecord call)
    {
        var path = Path.GetFullPath(call.RecordingPath ?? DefaultPathOf(call.Sid));
        // Serve only files under our directory, whatever a stored path says.
        var inside = path.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside && File.Exists(path) ? path : null;
    }
}
