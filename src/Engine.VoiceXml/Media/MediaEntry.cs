namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>One cached file and how long it may be used without asking the server.</summary>
internal sealed class MediaEntry(string key, MediaContent content, CacheDirectives directives, DateTimeOffset freshUntil)
{
    /// <summary>The requested URL the entry is filed under (the content may come from a redirect target).</summary>
    public string Key { get; } = key;

    public MediaContent Content { get; } = content;

    public CacheDirectives Directives { get; set; } = directives;

    public DateTimeOffset FreshUntil { get; set; } = freshUntil;

    public LinkedListNode<MediaEntry>? Node { get; set; }

    public long Size => Content.Bytes.Length;
}
