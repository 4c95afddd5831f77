using System.CommandLine;

namespace DataBuild.Cli.Commands;

public static class LogsCommand
{
    private static readonly Argument<string> RunId = new("job-run-id")
    {
        Description = "The job run id (from 'databuild runs'), or a unique prefix or suffix of it.",
    };

    private static readonly Option<bool> Follow = new("--follow", "-f")
    {
        Description = "Print what comes next as well, until the run has ended (Ctrl-C stops earlier).",
    };

    public static Command Create()
    {
        var command = new Command("logs",
            "Print the log of a job run: its stdout, and its stderr lines marked [stderr]. From its file in the graph's log folder, " +
            "or, when this machine does not have it, from the copy a PostgreSQL event log keeps.") { RunId, Follow };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var wanted = parse.GetValue(RunId)!;
            var matches = (await graph.RunsAsync([], null, int.MaxValue, cancellationToken))
                .Where(r => r.JobRunId == wanted || r.JobRunId.StartsWith(wanted, StringComparison.Ordinal) || r.JobRunId.EndsWith(wanted, StringComparison.Ordinal))
                .ToArray();
            var run = matches.FirstOrDefault(r => r.JobRunId == wanted) ?? (matches.Length == 1 ? matches[0] : null);
            if (run is null)
                throw new UsageException(matches.Length == 0
                    ? $"no job run '{wanted}' in {graph.Name}; 'databuild runs' lists them"
                    : $"'{wanted}' matches {matches.Length} job runs ({string.Join(", ", matches.Take(3).Select(m => m.JobRunId))}…); give more of the id");
            await using var stdout = Console.OpenStandardOutput();
            try
            {
                await graph.CopyLogAsync(run, stdout, parse.GetValue(Follow), cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && parse.GetValue(Follow))
            {
                // Ctrl-C ends --follow before the run did: exit 0, as events --follow.
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
