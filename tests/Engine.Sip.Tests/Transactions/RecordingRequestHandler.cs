using System.Collections.Concurrent;
using System.Text;
using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transactions;
using Dialtone.Engine.Sip.Transport;

namespace Dialtone.Engine.Sip.Tests.Transactions;

/// <summary>A TU that records what reaches it and answers as the test says.</summary>
internal sealed class RecordingRequestHandler : ISipRequestHandler, ISipServerTransactionOwner
{
    public BlockingCollection<(SipServerTransaction Transaction, string Request)> Requests { get; } = new();

    public BlockingCollection<string> Acks { get; } = new();

    public BlockingCollection<SipServerTransaction> Cancels { get; } = new();

    public BlockingCollection<SipServerTransaction> Timeouts { get; } = new();

    public BlockingCollection<SipServerTransaction> TransportErrors { get; } = new();

    /// <summary>What to do with a new request; by default keep the transaction to answer later.</summary>
    public Action<SipServerTransaction, SipMessage>? OnNewRequest { get; set; }

    public void OnRequest(SipServerTransaction transaction, SipMessage request)
    {
        string text = Encoding.UTF8.GetString(request.Span.Slice(0, request.Length));
        if (OnNewRequest is { } answer)
        {
            answer(transaction, request);
        }
        else
        {
            // Kept before the test thread can see it: Retain copies the request out of the receive buffer.
            transaction.Owner = this;
            transaction.Retain();
        }
        Requests.Add((transaction, text));
    }

    public void OnAck(SipMessage ack, in SipRemote remote) => Acks.Add(Encoding.UTF8.GetString(ack.Span.Slice(0, ack.Length)));

    public void OnCancel(SipServerTransaction invite, SipServerTransaction cancel)
    {
        Cancels.Add(invite);
        cancel.Respond(200, "uas-tag"u8);
        invite.Respond(487, "uas-tag"u8);
    }

    public void OnTimeout(SipServerTransaction transaction) => Timeouts.Add(transaction);

    public void OnTransportError(SipServerTransaction transaction) => TransportErrors.Add(transaction);

    public (SipServerTransaction Transaction, string Request) TakeRequest()
    {
        Assert.True(Requests.TryTake(out var item, TimeSpan.FromSeconds(10)), "no request reached the TU within 10 s");
        return item;
    }
}
