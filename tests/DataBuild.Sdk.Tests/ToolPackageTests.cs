namespace DataBuild.Sdk.Tests;

public class ToolPackageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_cli_packs_as_a_dotnet_tool_that_installs_the_databuild_command()
    {
        var feed = _folder.Combine("feed");
        DotNet.Run("dotnet", Repository.Root, ["pack", "src/DataBuild.Cli", "-c", "Debug", "--disable-build-servers", "-o", feed]).Succeeded();
        var version = DotNet.Run("dotnet", Repository.Root, ["msbuild", "src/DataBuild.Cli", "-getProperty:Version"]).Succeeded().Output.Trim();
        var package = Path.Combine(feed, $"DataBuild.Cli.{version}.nupkg");
        Assert.True(File.Exists(package));
        using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
        {
            // SQLite's natives for the platforms a .NET tool runs on, not iOS', Android's or the browser's.
            var runtimes = zip.Entries.Select(e => e.FullName.Split('/')).Where(p => p.Length > 4 && p[3] == "runtimes").Select(p => p[4]).ToHashSet();
            Assert.Contains("linux-x64", runtimes);
            Assert.Contains("win-x64", runtimes);
            Assert.DoesNotContain(runtimes, r => r.StartsWith("ios", StringComparison.Ordinal) || r.StartsWith("android", StringComparison.Ordinal) || r == "browser-wasm");
        }

        // A tool path of the test's own stands in for -g (~/.dotnet/tools), and a package cache of its own for the user's.
        var tools = _folder.Combine("tools");
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _folder.Combine("packages") };
        DotNet.Run("dotnet", _folder.Path, ["tool", "install", "DataBuild.Cli", "--tool-path", tools, "--add-source", feed, "--version", version], environment).Succeeded();

        var help = DotNet.Run(Path.Combine(tools, "databuild"), _folder.Path, ["--help"]).Succeeded();
        Assert.Contains("databuild: build data partitions", help.Output);
        // Run from a folder without a graph, it says how to name one.
        var status = DotNet.Run(Path.Combine(tools, "databuild"), _folder.Path, ["status"]).Failed();
        Assert.Equal(2, status.ExitCode);
        Assert.Contains("name the graph with --graph", status.Output);
    }
}
