namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>Whether leading and trailing silence is cut from a recording (Twilio's trim attribute).</summary>
public enum TrimMode
{
    TrimSilence,
    DoNotTrim,
}
