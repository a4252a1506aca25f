namespace Dialtone.Engine.Sip.Sdp;

/// <summary>
/// Bounds on what <see cref="SdpReader"/> accepts, so a hostile body costs bounded work. The defaults
/// are far above any real audio/video offer (a few dozen lines) and far below what hurts.
/// </summary>
public sealed class SdpLimits
{
    /// <summary>The default <see cref="MaxLines"/>; also the size to stackalloc a line index with.</summary>
    public const int DefaultMaxLines = 256;

    /// <summary>The default <see cref="MaxMediaSections"/>.</summary>
    public const int DefaultMaxMediaSections = 16;

    /// <summary>The default <see cref="MaxLineLength"/>, in bytes.</summary>
    public const int DefaultMaxLineLength = 4096;

    /// <summary>Limits used when the caller passes none.</summary>
    public static SdpLimits Default { get; } = new();

    /// <summary>Most non-empty lines a body may have (at least 1). The caller's index span may lower it further.</summary>
    public int MaxLines
    {
        get;
        init => field = Positive(value);
    } = DefaultMaxLines;

    /// <summary>Most m= sections a body may have (0 refuses any media).</summary>
    public int MaxMediaSections
    {
        get;
        init => field = NotNegative(value);
    } = DefaultMaxMediaSections;

    /// <summary>Longest line, without its line end, in bytes (at least 2, the room "v=" needs).</summary>
    public int MaxLineLength
    {
        get;
        init => field = Math.Max(2, Positive(value));
    } = DefaultMaxLineLength;

    private static int Positive(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
        return value;
    }

    private static int NotNegative(int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return value;
    }
}
