using System.Text.Json.Nodes;

namespace PodcastReviews.Tests;

/// <summary>
/// The README opens with the command a newcomer runs first. This runs that line exactly as written, from the
/// repository root, on an empty data folder and event log: it must build the summary and say what ran, and a
/// second run must build nothing. The data and the log go to a folder of the test's own (DataBuildWorkingDirectory,
/// set in the environment, so the command stays as written), never to the sample's, which are the user's.
/// </summary>
public sealed class ReadmeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_first_command_of_the_readme_builds_a_daily_summary_and_a_second_run_builds_nothing()
    {
        var command = FirstCommand(File.ReadAllText(Repository.Path("README.md")));
        Assert.Contains("samples/PodcastReviews -t:DataBuild", command);

        var first = RunShell(command);
        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("DataBuild: started raw_reviews raw/reviews", first.Output);
        Assert.Contains("reported missing dependencies: phrase_stats/category=comedy/date=2020-01-01", first.Output);
        Assert.Contains("DataBuild: Build succeeded: 7 job runs", first.Output);
        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(_folder.Path, "data", "daily_summaries", "category=comedy", "date=2020-01-01")))!;
        Assert.True(summary["reviewCount"]!.GetValue<int>() > 0);

        var second = RunShell(command);
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("DataBuild: Build succeeded: 0 job runs", second.Output);
    }

    private static string FirstCommand(string readme)
    {
        var block = readme.IndexOf("```bash\n", StringComparison.Ordinal);
        Assert.True(block >= 0, "the README has no bash block");
        var start = block + "```bash\n".Length;
        return readme[start..readme.IndexOf('\n', start)];
    }

    private ProcessResult RunShell(string command)
    {
        // The test host's own MSBuild variables would leak into the child build; a user's shell has none.
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(k => k, _ => (string?)null);
        // No MSBuild node may outlive the test holding its output open.
        environment["MSBUILDDISABLENODEREUSE"] = "1";
        environment["DOTNET_CLI_DO_NOT_USE_MSBUILD_SERVER"] = "1";
        environment["DataBuildWorkingDirectory"] = _folder.Path;
        return ProcessRun.Run("bash", Repository.Root, ["-c", command], environment, timeout: TimeSpan.FromMinutes(6));
    }
}
