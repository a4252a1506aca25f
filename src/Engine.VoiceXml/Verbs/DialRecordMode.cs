namespace Dialtone.Engine.VoiceXml.Verbs;

/// <summary>The record attribute of &lt;Dial&gt; (Twilio's values; true/false are its legacy aliases).</summary>
public enum DialRecordMode
{
    DoNotRecord,
    RecordFromAnswer,
    RecordFromRinging,
    RecordFromAnswerDual,
    RecordFromRingingDual,
}
