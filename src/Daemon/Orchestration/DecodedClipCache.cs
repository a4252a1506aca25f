using System.Runtime.CompilerServices;
using Dialtone.Engine.Rtp.Audio;

namespace Dialtone.Daemon.Orchestration;

/// <summary>
/// The decoded 8 kHz audio of the files the media cache holds, shared by every call that plays them.
/// </summary>
/// <remarks>
/// A playback that streams from the network decodes into a ring of its own (about 160 KB); two
/// thousand calls playing the same cached prompt would hold two thousand copies. Here the clip is
/// decoded once and each call only keeps a read position. The clip is keyed by the very byte array
/// the media cache stores: when the cache evicts or replaces the file, the array becomes
/// unreachable and the clip goes with it, so the decoded copies are bounded by the media cache's
/// own bounds and can never be older than the bytes they came from.
/// </remarks>
public sealed class DecodedClipCache
{
    private readonly ConditionalWeakTable<byte[], AudioClip> _clips = new();
    private long _decodes;
    private long _hits;

    /// <summary>Files decoded since start.</summary>
    public long Decodes => Interlocked.Read(ref _decodes);

    /// <summary>Playbacks served from a clip decoded before.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>
    /// The decoded clip of <paramref name="file"/>, a cached file's bytes (<paramref name="owner"/> is
    /// the array they live in, as stored by the media cache).
    /// </summary>
    /// <exception cref="AudioFormatException">The file is not audio this engine can decode.</exception>
    public AudioClip GetOrDecode(byte[] owner, ReadOnlyMemory<byte> file, AudioFileFormat format, TimeSpan maxDuration)
    {
        if (_clips.TryGetValue(owner, out AudioClip? clip))
        {
            Interlocked.Increment(ref _hits);
            return clip;
        }
        // Two calls may race to decode the same file; both decodes are correct and the table keeps one.
        clip = AudioClip.Decode(file.Span, format, maxDuration);
        Interlocked.Increment(ref _decodes);
        return _clips.GetValue(owner, _ => clip);
    }
}
