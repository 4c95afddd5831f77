using System.Globalization;

namespace DataBuild.Job.Example;

/// <summary>
/// Builds <c>numbers/n={n}</c>: a file under <c>$DATA_DIR</c> holding n, computed as the value of
/// <c>numbers/n={n-1}</c> plus one, so each partition really reads its upstream. All refs of a wave are
/// batched into one run, which builds them in ascending order.
/// </summary>
public sealed class NumbersJob : IDataBuildJob
{
    private static readonly RefPattern Numbers = new("numbers/n={n}");

    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs)
    {
        var dataDirectory = Environment.GetEnvironmentVariable("DATA_DIR")
            ?? throw new InvalidOperationException("set DATA_DIR to the folder that holds the numbers");
        var outputs = refs.OrderBy(N).ToList();
        // An upstream built by this same run is not an input: the run builds it first.
        var inputs = outputs.Where(r => N(r) > 0).Select(r => Ref(N(r) - 1)).Except(outputs);
        yield return new RunConfig
        {
            Outputs = outputs,
            Inputs = inputs.Select(JobInput.Materialize).ToList(),
            // In the config rather than read from the environment at exec time, so a recorded config replays exactly.
            Env = new Dictionary<string, string> { ["DATA_DIR"] = Path.GetFullPath(dataDirectory) },
        };
    }

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var dataDirectory = run.Env["DATA_DIR"];
        var absent = run.Inputs.Select(input => input.Ref).Where(r => !File.Exists(PathOf(dataDirectory, r))).ToList();
        if (absent.Count > 0) throw new MissingDependenciesException(impacted: run.Outputs, missing: absent);
        foreach (var output in run.Outputs.OrderBy(N))
        {
            var n = N(output);
            var value = n == 0 ? 0 : 1 + await ReadValueAsync(dataDirectory, Ref(n - 1), cancellationToken);
            await AtomicFile.WriteAllTextAsync(PathOf(dataDirectory, output), value.ToString(CultureInfo.InvariantCulture), cancellationToken);
            Console.WriteLine($"{run.JobRunId}: wrote {output} = {value}");
        }
    }

    private static async Task<long> ReadValueAsync(string dataDirectory, string partitionRef, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(PathOf(dataDirectory, partitionRef), cancellationToken);
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{partitionRef} holds '{text}', not a whole number");
    }

    private static int N(string partitionRef)
    {
        var text = Numbers.Captures(partitionRef)["n"];
        // Canonical whole numbers only, so two spellings of one number never name two partitions.
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n.ToString(CultureInfo.InvariantCulture) == text
            ? n
            : throw new FormatException($"'{partitionRef}' does not match numbers/n={{n}} with n a whole number");
    }

    private static string Ref(int n) => $"numbers/n={n}";

    private static string PathOf(string dataDirectory, string partitionRef) => Path.Combine(dataDirectory, partitionRef);
}
