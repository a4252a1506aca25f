namespace Dialtone.Daemon.Orchestration;

/// <summary>Why a &lt;Record&gt; take ended.</summary>
public enum RecordTakeEnd
{
    /// <summary>The far end was silent for the verb's timeout.</summary>
    Silence,

    /// <summary>The verb's maxLength was reached.</summary>
    MaxLength,

    /// <summary>A finish key was pressed.</summary>
    FinishKey,

    /// <summary>The call ended.</summary>
    Hangup,

    /// <summary>Stopped by the owner (the file was closed).</summary>
    Stopped,
}
