using System.Runtime.InteropServices;

namespace DataBuild.Sdk.Tests;

public class SelfContainedPublishTests(SourceGraph graph) : IClassFixture<SourceGraph>
{
    [Fact]
    public void A_self_contained_publish_runs_its_runner_and_jobs_where_no_dotnet_is_installed()
    {
        var rid = RuntimeInformation.RuntimeIdentifier;
        var deployed = graph.Folder.Combine("self-contained");
        DotNet.Run("dotnet", graph.GraphDirectory, ["publish", "--disable-build-servers", "-r", rid, "--self-contained", "-o", deployed]).Succeeded();

        // Only this RID's natives, beside the runner; the C# job runs by its apphost, with its own runtime.
        Assert.False(Directory.Exists(Path.Combine(deployed, "runtimes")), "a self-contained runner keeps no runtimes/ folder");
        Assert.True(File.Exists(Path.Combine(deployed, "libe_sqlite3.so")));
        Assert.True(File.Exists(Path.Combine(deployed, "libcoreclr.so")));
        Assert.True(File.Exists(Path.Combine(deployed, "jobs", "words", "libcoreclr.so")));
        var manifest = File.ReadAllText(Path.Combine(deployed, "graph.json"));
        Assert.Contains("\"jobs/words/Words\"", manifest);
        Assert.DoesNotContain("\"dotnet\"", manifest);

        // A mount namespace in which the .NET installation is an empty folder: no host, no runtime, no SDK.
        var installation = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var empty = Directory.CreateDirectory(graph.Folder.Combine("empty")).FullName;
        var data = graph.Folder.Combine("self-contained-data");
        var script = $"""
            mount --bind '{empty}' '{installation}' || exit 90
            if command -v dotnet || [ -e '{installation}/dotnet' ]; then echo "dotnet is still visible"; exit 91; fi
            cd / && exec '{deployed}/databuild' build words/6
            """;
        var result = DotNet.Run("unshare", graph.Folder.Path, ["-m", "bash", "-c", script], new Dictionary<string, string?>
        {
            ["PATH"] = "/usr/bin:/bin",
            ["DOTNET_ROOT"] = null,
            ["DATA_DIR"] = data,
        }).Succeeded();

        Assert.Contains("Build succeeded: 2 job runs", result.Output);
        Assert.Equal("LETTER 6\n", File.ReadAllText(Path.Combine(data, "words", "6")));
    }
}
