namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>The HTTP method of an action, redirect or callback request (TwiML allows only these two).</summary>
public enum RequestMethod
{
    Post,
    Get,
}
