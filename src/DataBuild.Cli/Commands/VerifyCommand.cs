using System.CommandLine;
using DataBuild.Reports;
using DataBuild.Rendering;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Cli.Commands;

public static class VerifyCommand
{
    public static Command Create()
    {
        var command = new Command("verify",
            "Check the whole event log against its state machines and list every event that is not a valid next state, " +
            "with its index and why (every command leaves such events out). Exit 0 when the log is clean, 1 when it is not.");
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var check = ReportMessages.Verification(workspace.BelUri, Verify(workspace));
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(MessageJson.Indented(check));
            else ReportText.Verification(Console.Out, check);
            return Task.FromResult(check.Invalid.Count == 0 ? ExitCodes.Success : ExitCodes.InvalidLog);
        }, warnSkippedEvents: false));
        return command;
    }

    // Verify reads every event, from the first; a compacted log has only the retained ones.
    private static Events.LogCheck Verify(Engine.GraphWorkspace workspace)
    {
        try
        {
            return workspace.Log.Verify();
        }
        catch (Events.EventsCompactedException e)
        {
            throw new UsageException($"verify checks every event from the first, and the BEL {workspace.BelUri} was compacted up to event {e.LowestSinceIndex} " +
                $"(those events were {e.Mark.Fate}): `databuild events --since {e.LowestSinceIndex}` lists the events it kept");
        }
    }
}
