using System.CommandLine;
using DataBuild.Proto;
using DataBuild.Rendering;
using Task = System.Threading.Tasks.Task;
using DataBuild.Views;

namespace DataBuild.Cli.Commands;

public static class SnapshotCommand
{
    private static readonly Option<bool> Delete = new("--delete")
    {
        Description = "Delete the stored snapshot instead: every command then reads the whole log until the next snapshot (the answers are the same).",
    };

    public static Command Create()
    {
        var command = new Command("snapshot",
            "Write a snapshot of the views (catalog, job runs, build requests, wants) and of the validator at the end of the event log, " +
            "beside it, so that commands read only the events after it. Builds and reconcile passes write one themselves once the log " +
            $"has grown by {ViewSnapshots.DefaultThreshold:N0} events past the last.")
        {
            Delete,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var store = workspace.Log.Storage.Snapshots
                ?? throw new UsageException($"the BEL {workspace.BelUri} keeps no snapshots");
            long? covered = null;
            if (parse.GetValue(Delete) && store.DeleteSnapshotUnlessCompacted() is { } mark)
                throw new UsageException($"the BEL {workspace.BelUri} was compacted up to event {mark.FirstRetainedIndex - 1} and its snapshot holds those events' effect: " +
                    "it is not deleted (without it the log could not be read)");
            if (!parse.GetValue(Delete)) covered = ViewSnapshots.Write(workspace.Log, workspace.Views());
            var stored = store.ReadSnapshot();
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(MessageJson.Indented(new SnapshotReport
                {
                    Bel = workspace.BelUri,
                    Written = covered is not null,
                    CoveredIndex = stored?.CoveredIndex ?? 0,
                    Bytes = stored?.Payload.Length ?? 0,
                }));
            }
            else if (parse.GetValue(Delete)) Console.WriteLine($"{workspace.BelUri}: snapshot deleted.");
            else if (stored is null) Console.WriteLine($"{workspace.BelUri}: the log is empty; no snapshot written.");
            else if (covered is not null) Console.WriteLine($"{workspace.BelUri}: wrote a snapshot of the views at event {covered} ({stored.Payload.Length:N0} bytes).");
            else Console.WriteLine($"{workspace.BelUri}: the stored snapshot already covers event {stored.CoveredIndex}.");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
