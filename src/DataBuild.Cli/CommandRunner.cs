using System.CommandLine;
using DataBuild.Cli.Access;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Refs;
using DataBuild.Service.Client;
using DataBuild.Service.Upstreams;

namespace DataBuild.Cli;

/// <summary>
/// Opens the graph for a command and turns failures into one clear line on stderr and the documented exit
/// code: bad input (refs, patterns, manifests, URIs) is 2, a failed build is 1, a log that cannot be written is 3.
/// </summary>
public static class CommandRunner
{
    /// <summary>
    /// Runs <paramref name="action"/> on the graph; events of the log that are not a valid next state are
    /// left out of its views and warned about on stderr, unless <paramref name="warnSkippedEvents"/> is false
    /// (for a command that reports them itself).
    /// </summary>
    public static Task<int> RunAsync(ParseResult parse, Func<GraphWorkspace, Task<int>> action, bool warnSkippedEvents = true) => RunAsync(async () =>
    {
        if (GlobalOptions.ResolveServer(parse) is { } server)
            throw new UsageException($"'{parse.CommandResult.Command.Name}' works on the event log itself and not through the service at {server}: " +
                $"leave out --server (and unset {GlobalOptions.ServerVariable})");
        using var upstreams = new HttpUpstreamGraphs();
        using var workspace = Open(parse, upstreams);
        using var warnings = warnSkippedEvents ? new SkippedEventWarnings(workspace) : null;
        return await action(workspace);
    });

    /// <summary>
    /// Runs <paramref name="action"/> on the service that --server (or DATABUILD_SERVER) names, else on the graph's own
    /// log as <see cref="RunAsync(ParseResult, Func{GraphWorkspace, Task{int}}, bool)"/> does: the command reads and
    /// writes through <see cref="IGraphAccess"/> and prints the same either way.
    /// </summary>
    public static Task<int> RunOnGraphAsync(ParseResult parse, Func<IGraphAccess, Task<int>> action) => RunAsync(async () =>
    {
        if (GlobalOptions.ResolveServer(parse) is { } server)
        {
            using var client = RemoteGraph.Connect(server, parse.GetValue(GlobalOptions.TokenFile));
            return await action(new RemoteGraph(client));
        }
        using var upstreams = new HttpUpstreamGraphs();
        using var workspace = Open(parse, upstreams);
        using var warnings = new SkippedEventWarnings(workspace);
        return await action(new LocalGraph(workspace));
    });

    // The graph and its log as the global options name them; the log's notes and warnings go to stderr.
    // Builds reach the graph's upstream graphs over HTTP through upstreams.
    private static GraphWorkspace Open(ParseResult parse, HttpUpstreamGraphs upstreams)
    {
        var workspace = GraphWorkspace.Open(GlobalOptions.ResolveGraph(parse), parse.GetValue(GlobalOptions.Bel),
            onNote: note => Console.Error.WriteLine($"databuild: {note}"), stateDirectory: parse.GetValue(GlobalOptions.StateDirectory),
            upstreams: upstreams);
        workspace.Log.Warning += message => Console.Error.WriteLine($"databuild: warning: {message}");
        return workspace;
    }

    /// <summary>Runs a command that opens the graph itself, with the same mapping of failures to messages and exit codes.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"databuild: {UserMessages.Of(e)}");
            return ExitCodes.BadInput;
        }
        catch (EventStorageFailedException e)
        {
            Console.Error.WriteLine($"databuild: {e.Message}");
            return ExitCodes.LogWriteFailed;
        }
        catch (GraphApiException e)
        {
            // Unreachable, refused (401, 403) or bad input (400): what the user can fix is exit 2; the service failing is 1.
            Console.Error.WriteLine($"databuild: {e.Message}");
            return e.Status is null or < 500 or 503 ? ExitCodes.BadInput : ExitCodes.BuildFailed;
        }
        catch (Exception e) when (e is ConfigureFailedException or InvalidEventException)
        {
            Console.Error.WriteLine($"databuild: {UserMessages.Of(e)}");
            return ExitCodes.BuildFailed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not a failure of the user's making: say so in one line; the details are for a bug report, on request.
            Console.Error.WriteLine(UserMessages.Unexpected(e, UserMessages.TraceRequested));
            return ExitCodes.BuildFailed;
        }
    }

    private static bool IsBadInput(Exception e) => e is InvalidPartitionRefException or InvalidPatternException or LookupException
        or GraphManifestException or GraphCycleException or ArgumentException or FormatException
        or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UsageException
        or EventStorageUnavailableException or EventsCompactedException or CompactionRefusedException;
}

/// <summary>The command line asks for something impossible; the message says what.</summary>
public sealed class UsageException(string message) : Exception(message);
