using System.CommandLine;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Cli;

/// <summary>
/// Opens the graph for a command and turns failures into one clear line on stderr and the documented exit
/// code: bad input (refs, patterns, manifests, URIs) is 2, a failed build is 1.
/// </summary>
public static class CommandRunner
{
    public static Task<int> RunAsync(ParseResult parse, Func<GraphWorkspace, Task<int>> action) => RunAsync(async () =>
    {
        using var workspace = GraphWorkspace.Open(GlobalOptions.ResolveGraph(parse), parse.GetValue(GlobalOptions.Bel));
        return await action(workspace);
    });

    /// <summary>Runs a command that opens the graph itself, with the same mapping of failures to messages and exit codes.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsBadInput(e))
        {
            Console.Error.WriteLine($"databuild: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is ConfigureFailedException or InvalidEventException)
        {
            Console.Error.WriteLine($"databuild: {e.Message}");
            return ExitCodes.BuildFailed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not a failure of the user's making: say so, and keep the details for the bug report.
            Console.Error.WriteLine($"databuild: unexpected error: {e.Message}\n{e}");
            return ExitCodes.BuildFailed;
        }
    }

    private static bool IsBadInput(Exception e) => e is InvalidPartitionRefException or InvalidPatternException or LookupException
        or GraphManifestException or GraphCycleException or ArgumentException or FormatException
        or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UsageException
        or EventStorageUnavailableException;
}

/// <summary>The command line asks for something impossible; the message says what.</summary>
public sealed class UsageException(string message) : Exception(message);
