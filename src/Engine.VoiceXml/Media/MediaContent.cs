namespace Dialtone.Engine.VoiceXml.Media;

/// <summary>A whole media file: its bytes (not to be modified; the cache shares them) and what they are.</summary>
public sealed record MediaContent(Uri Url, string? ContentType, MediaFormat Format, ReadOnlyMemory<byte> Bytes);
