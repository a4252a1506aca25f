namespace Dialtone.Engine.Sip.Dns;

/// <summary>The selection order of RFC 2782 ("Usage rules"): lowest priority first; within a
/// priority, a weighted random order where a record's chance to come next is proportional to its
/// weight, and weight-0 records come first in the running sum so that they are rarely picked early.</summary>
internal static class SrvOrdering
{
    public static List<SrvEntry> Order(IReadOnlyList<SrvEntry> records, Random random)
    {
        var ordered = new List<SrvEntry>(records.Count);
        foreach (var group in records.GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            // Zero weights first, then the rest in the order received (RFC 2782).
            var remaining = group.Where(r => r.Weight == 0).Concat(group.Where(r => r.Weight > 0)).ToList();
            while (remaining.Count > 0)
            {
                int total = 0;
                foreach (var record in remaining)
                    total += record.Weight;

                // A number in [0, total]; the first record whose running sum reaches it is next.
                int pick = random.Next(total + 1);
                int running = 0;
                int chosen = remaining.Count - 1;
                for (int i = 0; i < remaining.Count; i++)
                {
                    running += remaining[i].Weight;
                    if (running >= pick)
                    {
                        chosen = i;
                        break;
                    }
                }
                ordered.Add(remaining[chosen]);
                remaining.RemoveAt(chosen);
            }
        }
        return ordered;
    }
}
