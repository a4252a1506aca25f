using Dialtone.Engine.Sip.Message;
using Dialtone.Engine.Sip.Transactions;

namespace Dialtone.Engine.Sip.Tests.Transactions;

public sealed class InvalidMessageTests
{
    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Blocks().Count; i++)
            data.Add(i);
        return data;
    }

    private static List<(string Expect, string Message)> Blocks()
    {
        string text = SipTemplates.Text("Transactions", "garbage-requests.txt").Replace("\r\n", "\n");
        var blocks = new List<(string, string)>();
        foreach (string raw in text.Split("\n----\n"))
        {
            var lines = raw.Split('\n').Where(l => !l.StartsWith('#')).ToList();
            int expectLine = lines.FindIndex(l => l.StartsWith("expect: ", StringComparison.Ordinal));
            string expect = lines[expectLine]["expect: ".Length..];
            blocks.Add((expect, string.Join("\n", lines.Skip(expectLine + 1))));
        }
        return blocks;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_requests_get_the_rfc_answer_or_are_dropped_and_counted(int index)
    {
        var (expect, template) = Blocks()[index];
        var options = new SipTransactionOptions
        {
            Validation = new SipValidatorOptions
            {
                AllowedMethods = [SipMethod.Invite, SipMethod.Ack, SipMethod.Bye, SipMethod.Cancel, SipMethod.Options],
                SupportedOptionTags = ["timer"],
            },
        };
        using var bed = new TransactionTestBed(options);
        bed.SendToLayer(SipTemplates.Fill(template, ("peerPort", bed.Peer.Port)));

        TransactionTestBed.WaitUntil(() => bed.Counters.TotalDrops == 1, "the message to be refused");
        if (expect == "drop")
        {
            Assert.Null(bed.Peer.Receive(200));
        }
        else
        {
            string? answer = bed.Peer.Receive();
            Assert.NotNull(answer);
            Assert.StartsWith($"SIP/2.0 {expect} ", answer);
            if (expect == "405")
                Assert.Contains("\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS, UPDATE, INFO\r\n", answer);
            if (expect == "420")
                Assert.Contains("\r\nUnsupported: teleportation\r\n", answer);
        }
        Assert.Empty(bed.Handler.Requests);
        Assert.Equal(0, bed.Layer.ServerTransactionCount);
    }

    [Fact]
    public void Random_bytes_never_crash_the_layer()
    {
        using var bed = new TransactionTestBed();
        var random = new Random(4475);
        byte[] valid = bed.PeerRequest("invite.sip", "z9hG4bKfuzz", bed.NewCallId());
        for (int i = 0; i < 300; i++)
        {
            byte[] mutated = (byte[])valid.Clone();
            for (int j = 0; j < 1 + i % 8; j++)
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            bed.SendToLayer(mutated);
        }
        byte[] healthy = bed.PeerRequest("options.sip", "z9hG4bKafterfuzz", bed.NewCallId());
        bed.Handler.OnNewRequest = (tx, request) =>
        {
            if (request.Method == SipMethod.Options)
                tx.Respond(200);
            else
                tx.Respond(486);
        };
        bed.SendToLayer(healthy);
        bed.Trace.WaitFor(m => m.Outgoing && m.IsResponse(200) && m.Text.Contains("z9hG4bKafterfuzz"), "the layer to still answer");
        Assert.Equal(0, bed.Layer.Wheel.CallbackFailures);
    }
}
