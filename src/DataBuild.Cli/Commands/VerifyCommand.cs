using System.CommandLine;
using System.Text.Json.Nodes;
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
            var check = workspace.Log.Verify();
            var exitCode = check.Skipped.Count == 0 ? ExitCodes.Success : ExitCodes.InvalidLog;
            if (parse.GetValue(GlobalOptions.Json))
            {
                var invalid = check.Skipped.Select(s => (JsonNode?)new JsonObject { ["index"] = s.Index, ["eventId"] = s.EventId, ["reason"] = s.Reason });
                Console.WriteLine(new JsonObject
                {
                    ["bel"] = workspace.BelUri,
                    ["events"] = check.Events,
                    ["invalid"] = new JsonArray(invalid.ToArray()),
                }.ToJsonString(Output.JsonOptions));
                return Task.FromResult(exitCode);
            }
            if (check.Skipped.Count == 0)
            {
                Console.WriteLine($"{workspace.BelUri}: {check.Events} events, all valid.");
                return Task.FromResult(exitCode);
            }
            Console.WriteLine($"{workspace.BelUri}: {check.Events} events, {check.Skipped.Count} invalid (left out of every view):");
            Output.Table(Console.Out, ["INDEX", "EVENT ID", "REASON"],
                check.Skipped.Select(s => (IReadOnlyList<string>)[s.Index.ToString(), s.EventId, s.Reason]));
            return Task.FromResult(exitCode);
        }, warnSkippedEvents: false));
        return command;
    }
}
