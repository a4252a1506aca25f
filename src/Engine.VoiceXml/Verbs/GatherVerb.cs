namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>
/// &lt;Gather&gt;: collect DTMF digits while the nested <see cref="Prompts"/> play (the first digit
/// stops them), then request <see cref="Action"/> with <c>Digits</c>. With no input the document
/// falls through to the next verb, unless <see cref="ActionOnEmptyResult"/> is set.
/// </summary>
public sealed record GatherVerb : VoiceVerb
{
    public override VerbKind Kind => VerbKind.Gather;

    public GatherInput Input { get; init; } = GatherInput.Dtmf;

    /// <summary>Stop after this many digits; null = no limit (finishOnKey or the timeout ends input).</summary>
    public int? NumDigits { get; init; }

    /// <summary>How long to wait for the next digit, after the prompts have finished (default 5 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The key that submits the digits (default "#"); empty = no key does. Never included in Digits.</summary>
    public string FinishOnKey { get; init; } = "#";

    /// <summary>Where to send the digits; null = the current document's URL (Twilio's default).</summary>
    public Uri? Action { get; init; }

    public RequestMethod Method { get; init; } = RequestMethod.Post;

    /// <summary>Request the action even when nothing was entered (Digits is then empty).</summary>
    public bool ActionOnEmptyResult { get; init; }

    /// <summary>Nested &lt;Say&gt;, &lt;Play&gt; (without digits) and &lt;Pause&gt; played while waiting for input.</summary>
    public IReadOnlyList<VoiceVerb> Prompts { get; init; } = [];
}
