namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>One party a &lt;Dial&gt; rings. Several targets ring at once; the first to answer wins.</summary>
public sealed record DialTarget(DialTargetKind TargetKind, string Address)
{
    /// <summary>DTMF sent once this party answers (0-9, *, #, A-D, w, W), or null.</summary>
    public string? SendDigits { get; init; }

    /// <summary>A document run on the called party after it answers, before bridging (a "whisper"), or null.</summary>
    public Uri? Url { get; init; }

    public RequestMethod Method { get; init; } = RequestMethod.Post;

    /// <summary>SIP digest credentials for a &lt;Sip&gt; target, or null.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }
}
