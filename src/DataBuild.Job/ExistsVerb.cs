namespace DataBuild.Job;

/// <summary><c>exists &lt;ref&gt; [&lt;ref&gt; …]</c>: those of the refs that exist, one per line on stdout.</summary>
internal static class ExistsVerb
{
    public static int Run(IDataBuildJob job, IReadOnlyList<string> args)
    {
        if (args.Count == 0) throw JobHostException.BadUsage("exists needs at least one partition ref");
        var refs = args.Distinct().ToList();
        var asked = refs.ToHashSet(StringComparer.Ordinal);
        var stdout = Console.Out;
        // stdout carries only the answer, whatever the job's Exists writes with Console.WriteLine.
        Console.SetOut(Console.Error);
        List<string> present;
        try
        {
            present = job.Exists(refs).Where(asked.Contains).Distinct(StringComparer.Ordinal).ToList();
        }
        finally
        {
            Console.SetOut(stdout);
        }
        foreach (var partitionRef in present) stdout.WriteLine(partitionRef);
        return ExitCodes.Success;
    }
}
