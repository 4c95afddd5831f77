using DataBuild.Job;

return JobHost.Run(args, new WordsJob());

// words/{word}: the letters of letters/{word} joined again, in capitals.
sealed class WordsJob : IDataBuildJob
{
    private static readonly RefPattern Words = new("words/{word}");

    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs) => refs.Select(r => new RunConfig
    {
        Outputs = [r],
        Inputs = [JobInput.Materialize($"letters/{Words.Captures(r)["word"]}")],
    });

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var data = Environment.GetEnvironmentVariable("DATA_DIR") ?? "data";
        var letters = await File.ReadAllLinesAsync(Path.Combine(data, run.Inputs.Single().Ref), cancellationToken);
        await AtomicFile.WriteAllTextAsync(Path.Combine(data, run.Outputs.Single()), string.Concat(letters).ToUpperInvariant() + "\n", cancellationToken);
    }
}
