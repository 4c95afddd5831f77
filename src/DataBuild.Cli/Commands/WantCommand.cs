using System.CommandLine;
using DataBuild.Cli.Access;
using DataBuild.Proto;
using DataBuild.Rendering;
using DataBuild.Wants;

namespace DataBuild.Cli.Commands;

public static class WantCommand
{
    private static readonly Argument<string[]> Refs = new("refs")
    {
        Description = "Partition refs that should exist, e.g. reviews/date=2020-01-01.",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<string?> Ttl = new("--ttl")
    {
        Description = "Give up on the want this long after it is made, e.g. 7d (units s, m, h, d; 1h30m works too). Default: never.",
    };

    private static readonly Option<string?> Sla = new("--sla")
    {
        Description = "It should be satisfied within this long, e.g. 6h; a miss is recorded once. Default: no SLA.",
    };

    private static readonly Option<string> Reason = new("--reason")
    {
        Description = "Why the data is wanted; kept with the want.",
        DefaultValueFactory = _ => "",
    };

    private static readonly Argument<string> WantId = new("want-id")
    {
        Description = "The want's id (from 'databuild wants'), or a unique prefix or suffix of it.",
    };

    private static readonly Option<string> CancelReason = new("--reason")
    {
        Description = "Why it is cancelled; kept with the want.",
        DefaultValueFactory = _ => "cancelled",
    };

    public static Command Create()
    {
        var command = new Command("want",
            "Declare that partitions should exist. 'databuild reconcile' builds what a want lacks and tracks it until it is " +
            "satisfied, expires (--ttl) or is cancelled ('databuild want cancel <id>').")
        {
            Refs, Ttl, Sla, Reason, CreateCancel(),
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var ttl = ParseDuration(parse.GetValue(Ttl), "--ttl");
            var sla = ParseDuration(parse.GetValue(Sla), "--sla");
            var want = await graph.CreateWantAsync(
                new WantRequest(parse.GetValue(Refs)!, ttl, sla, $"{Environment.UserName}@{Environment.MachineName}", parse.GetValue(Reason)!), cancellationToken);
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(MessageJson.Indented(want));
                return ExitCodes.Success;
            }
            var limits = new List<string>();
            if (ttl is { } t) limits.Add($"TTL {Durations.Format(t)}");
            if (sla is { } s) limits.Add($"SLA {Durations.Format(s)}");
            Console.WriteLine($"Want {want.WantId} recorded for {string.Join(", ", want.Partitions)}{(limits.Count > 0 ? $" ({string.Join(", ", limits)})" : "")}.");
            Console.WriteLine(graph is LocalGraph
                ? "'databuild reconcile' builds it; 'databuild wants' shows how it stands."
                : "The service's reconciler builds it; 'databuild wants' shows how it stands.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateCancel()
    {
        var command = new Command("cancel", "Cancel an active want, and the child wants made for it.") { WantId, CancelReason };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var given = parse.GetValue(WantId)!;
            var matches = (await graph.WantsAsync(activeOnly: false, cancellationToken))
                .Where(w => w.WantId.StartsWith(given, StringComparison.Ordinal) || w.WantId.EndsWith(given, StringComparison.Ordinal))
                .ToArray();
            var want = matches.FirstOrDefault(w => w.WantId == given) ?? (matches.Length == 1 ? matches[0] : null);
            if (want is null)
                throw new UsageException(matches.Length == 0
                    ? $"no want '{given}' in {graph.Name}; 'databuild wants' lists them"
                    : $"'{given}' matches {matches.Length} wants ({string.Join(", ", matches.Take(3).Select(m => m.WantId))}…); give more of the id");
            var cancelled = await graph.CancelWantAsync(want.WantId, parse.GetValue(CancelReason)!, cancellationToken);
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(MessageJson.Indented(new CancelWantResponse { Cancelled = { cancelled } }));
            else
                Console.WriteLine(cancelled.Count == 1 ? $"Want {want.WantId} cancelled." : $"Want {want.WantId} cancelled, with {cancelled.Count - 1} child wants.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static TimeSpan? ParseDuration(string? text, string option) => text is null ? null : Durations.Parse(text, option);
}
