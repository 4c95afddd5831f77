using System.CommandLine;

namespace DataBuild.Cli.Commands;

public static class CliApp
{
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand(
            "databuild: build data partitions. Ask for partitions; DataBuild finds the jobs that produce them and their " +
            "upstreams, skips what exists, builds the rest in parallel and records every step in the Build Event Log.\n\n" +
            "Exit codes: 0 success, 1 build failed, 2 bad usage or input, 3 the event log could not be written, 130 interrupted (Ctrl-C).")
        {
            GlobalOptions.Graph,
            GlobalOptions.Bel,
            GlobalOptions.StateDirectory,
            GlobalOptions.Json,
            GlobalOptions.Server,
            GlobalOptions.TokenFile,
            BuildCommand.Create(),
            AnalyzeCommand.Create(),
            StatusCommand.Create(),
            EventsCommand.Create(),
            RunsCommand.Create(),
            LogsCommand.Create(),
            WantCommand.Create(),
            WantsCommand.Create(),
            ReconcileCommand.Create(),
            VerifyCommand.Create(),
            SnapshotCommand.Create(),
            CompactCommand.Create(),
            ServeCommand.Create(),
            BackfillCommand.Create(),
            ScheduleCommand.Create(),
            ExecuteCommand.Create(),
            InvalidateCommand.Create(),
        };
        return root;
    }
}
