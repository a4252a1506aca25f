namespace Dialtone.Engine.Sip.Fuzz;

/// <summary>Options of the in-process mutation mode.</summary>
internal sealed record MutationOptions(double Minutes, int Seed, string FindingsDirectory, IReadOnlyList<string> SeedDirectories)
{
    public static MutationOptions Parse(ReadOnlySpan<string> args)
    {
        double minutes = 1;
        int seed = Environment.TickCount;
        string findings = "fuzz-findings";
        var seeds = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--minutes":
                    minutes = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--seed":
                    seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--findings":
                    findings = args[++i];
                    break;
                default:
                    seeds.Add(args[i]);
                    break;
            }
        }
        return new MutationOptions(minutes, seed, findings, seeds);
    }
}
