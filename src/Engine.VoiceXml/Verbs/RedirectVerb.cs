namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>&lt;Redirect&gt;: continue the call with the document at <see cref="Url"/>; later verbs are unreachable.</summary>
public sealed record RedirectVerb(Uri Url) : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Redirect;

    public RequestMethod Method { get; init; } = RequestMethod.Post;
}
