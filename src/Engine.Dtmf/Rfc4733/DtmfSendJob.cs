namespace Dialtone.Engine.Dtmf.Rfc4733;

/// <summary>One digit string queued on a <see cref="DtmfSender"/>, and its completion.</summary>
internal sealed class DtmfSendJob(string digits, CancellationToken cancellationToken)
{
    public string Digits { get; } = digits;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Registration { get; set; }
}
