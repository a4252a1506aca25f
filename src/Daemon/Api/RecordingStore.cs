using Dialtone.Daemon.Calls;

namespace Dialtone.Daemon.Api;

/// <summary>Where recordings live: <c>&lt;data&gt;/recordings/&lt;CallSid&gt;.wav</c>, or the path the media engine reported.</summary>
public sealed class RecordingStore(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The default file for a call's whole-call recording (where the media engine writes it).</summary>
    public string DefaultPathOf(string callSid) => Path.Combine(Directory, callSid + ".wav");

    /// <summary>Where a &lt;Record&gt; take of a call goes: <c>&lt;data&gt;/recordings/&lt;CallSid&gt;/&lt;RecordingSid&gt;.wav</c>.</summary>
    public string TakePathOf(string callSid, string recordingSid) => Path.Combine(Directory, callSid, recordingSid + ".wav");

    /// <summary>The file of a &lt;Record&gt; take if it exists (both sids are checked by shape first, so no path tricks).</summary>
    public string? ExistingTakeOf(CallRecord call, string recordingSid)
    {
        if (!Sid.IsRecordingSid(recordingSid))
            return null;
        var path = TakePathOf(call.Sid, recordingSid);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The recording file of <paramref name="call"/> if one exists inside the recordings directory.</summary>
    public string? PathOf(CallRecord call)
    {
        var path = Path.GetFullPath(call.RecordingPath ?? DefaultPathOf(call.Sid));
        // Serve only files under our directory, whatever a stored path says.
        var inside = path.StartsWith(Directory + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        return inside && File.Exists(path) ? path : null;
    }
}
