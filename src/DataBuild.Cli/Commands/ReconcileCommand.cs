using System.CommandLine;
using DataBuild.Reports;
using DataBuild.Rendering;
using DataBuild.Wants;

namespace DataBuild.Cli.Commands;

public static class ReconcileCommand
{
    private static readonly Option<bool> Once = new("--once")
    {
        Description = "Run one pass and exit: 0 when its build succeeded or there was nothing to build, 1 when its build failed.",
    };

    private static readonly Option<string?> Interval = new("--interval")
    {
        Description = "Pause between passes, e.g. 10s (units s, m, h, d). Default: 10s. Runs until Ctrl-C. " +
            "A partition whose build failed is tried again after one interval, then after twice as long for each further failure, up to 1h.",
    };

    private static readonly Option<int?> Parallelism = new("--parallelism", "-j")
    {
        Description = "Job runs at once in a pass's build. Default: the number of processors.",
        CustomParser = WholeNumbers.OptionalInt32,
    };

    public static Command Create()
    {
        var command = new Command("reconcile",
            "Make wants come true: each pass records child wants for missing dependencies jobs reported, marks wants satisfied, " +
            "expired or past their SLA, and builds every partition the active wants still lack. Passes are idempotent; " +
            "several reconcilers may share one log.")
        {
            Once, Interval, Parallelism, BuildCommand.KillGraceSeconds,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async workspace =>
        {
            var once = parse.GetValue(Once);
            var intervalText = parse.GetValue(Interval);
            if (once && intervalText is not null) throw new UsageException("--once and --interval do not go together: --once runs a single pass");
            var interval = Durations.Parse(intervalText ?? "10s", "--interval");
            var parallelism = parse.GetValue(Parallelism);
            if (parallelism is < 1) throw new UsageException($"--parallelism must be at least 1, got {parallelism}");
            var json = parse.GetValue(GlobalOptions.Json);
            using var printer = new ProgressPrinter(json ? null : Console.Out, live: false);
            var options = workspace.DefaultOptions() with { Parallelism = parallelism ?? Environment.ProcessorCount, KillGrace = BuildCommand.KillGrace(parse) };
            // A partition that failed waits one interval, then twice as long after each further failed build.
            var backoff = new RetryBackoff(interval, interval > RetryBackoff.Default.Max ? interval : RetryBackoff.Default.Max);
            var reconciler = new Reconciler(workspace.Engine, options, printer, backoff);
            void Print(ReconcilePass pass)
            {
                var report = ReportMessages.Reconcile(pass);
                Console.WriteLine(json ? MessageJson.Line(report) : ReportText.ReconcilePass(report));
            }
            if (once)
            {
                var pass = await reconciler.RunPassAsync(cancellationToken);
                Print(pass);
                return pass.BuildFailed ? ExitCodes.BuildFailed : ExitCodes.Success;
            }
            await reconciler.RunAsync(interval, Print, cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }
}
