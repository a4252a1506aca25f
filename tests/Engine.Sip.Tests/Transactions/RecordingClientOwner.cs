using System.Collections.Concurrent;
using System.Text;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transactions;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>A client transaction owner that records every event.</summary>
internal sealed class RecordingClientOwner : ISipClientTransactionOwner
{
    public BlockingCollection<(int Status, string Text)> Responses { get; } = new();

    public BlockingCollection<long> Timeouts { get; } = new();

    public BlockingCollection<long> TransportErrors { get; } = new();

    public void OnResponse(SipClientTransaction transaction, SipMessage response) =>
        Responses.Add((response.StatusCode, Encoding.UTF8.GetString(response.Span.Slice(0, response.Length))));

    public void OnTimeout(SipClientTransaction transaction) => Timeouts.Add(transaction.Id);

    public void OnTransportError(SipClientTransaction transaction) => TransportErrors.Add(transaction.Id);

    public (int Status, string Text) TakeResponse()
    {
        Assert.True(Responses.TryTake(out var item, TimeSpan.FromSeconds(10)), "no response reached the owner within 10 s");
        return item;
    }
}
