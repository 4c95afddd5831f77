using System.CommandLine;
using System.Runtime.InteropServices;
using DataBuild.Cli;
using DataBuild.Cli.Commands;
using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Storage.Delta;
using DataBuild.Storage.Postgres;
using DataBuild.Storage.Sqlite;

// The backends this command offers besides Core's file: log (SQLite, PostgreSQL, Delta Lake); --bel picks one by its URI's scheme.
EventStorage.Register(SqliteStorageProvider.Instance, PostgresStorageProvider.Instance, DeltaStorageProvider.Instance);

var root = CliApp.CreateRootCommand();
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"databuild: {error.Message}");
    Console.Error.WriteLine("Run 'databuild --help' for usage.");
    return ExitCodes.BadInput;
}

// Ctrl-C and SIGTERM cancel the command instead of killing the process, so a build stops its jobs and records
// them as cancelled before it exits; the command itself says which exit code that is. A second one ends the
// process at once, for work that cannot be cancelled (waiting for a server at open): runs it leaves behind
// are recovered as lost by the next build.
using var interrupted = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    if (interrupted.IsCancellationRequested) return;
    context.Cancel = true;
    interrupted.Cancel();
}
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, interrupted.Token);
