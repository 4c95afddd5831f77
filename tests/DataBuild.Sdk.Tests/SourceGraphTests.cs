using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

namespace DataBuild.Sdk.Tests;

public class SourceGraphTests(SourceGraph graph) : IClassFixture<SourceGraph>
{
    [Fact]
    public void DataBuild_target_builds_partitions_of_a_csharp_job_and_a_bash_job_and_a_second_run_executes_no_job()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(graph.Manifest))!;
        Assert.Equal(["letters", "words"], manifest["jobs"]!.AsArray().Select(j => j!["label"]!.GetValue<string>()));

        var first = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/1 words/2").Succeeded();

        Assert.Equal("LETTER 1\n", graph.Read("words/1"));
        Assert.Equal("LETTER 2\n", graph.Read("words/2"));
        // Other tests of this class build other partitions of the same graph (words/13, words/21).
        static bool Requested(string run) => run.EndsWith("/1") || run.EndsWith("/2");
        Assert.Equal(["letters letters/1", "letters letters/2", "words words/1", "words words/2"], graph.Runs().Where(Requested).Order());
        Assert.Matches(@"DataBuild: started words words/1 \(run [0-9a-f-]{36}\)", first.Output);
        Assert.Contains("DataBuild: Build succeeded: 4 job runs", first.Output);

        // ';' (written %3B on a command line) separates refs too.
        var second = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/1%3Bwords/2").Succeeded();
        Assert.Contains("DataBuild: Build succeeded: 0 job runs", second.Output);
        Assert.DoesNotContain("DataBuild: started", second.Output);
        Assert.Equal(4, graph.Runs().Count(Requested));

        // Force rebuilds the requested partition, not its upstream.
        var forced = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/1", "-p:Force=true").Succeeded();
        Assert.Contains("DataBuild: Build succeeded: 1 job runs", forced.Output);
        Assert.Equal(2, graph.Runs().Count(r => r == "words words/1"));
    }

    [Fact]
    public void Ranges_and_sets_in_Partitions_are_expanded_by_DataBuild_and_a_bad_range_runs_nothing()
    {
        var range = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/{3..4}").Succeeded();
        Assert.Contains("DataBuild: Build succeeded: 4 job runs", range.Output);
        Assert.Equal("LETTER 4\n", graph.Read("words/4"));

        // MSBuild splits a -p value at ',' unless it is quoted (or written %2C): a set goes inside quotes.
        var set = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=\"words/{5,6} words/{3..4}\"").Succeeded();
        Assert.Contains("DataBuild: Build succeeded: 4 job runs", set.Output);
        Assert.Equal("LETTER 6\n", graph.Read("words/6"));
        var escaped = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/{5%2C6}").Succeeded();
        Assert.Contains("DataBuild: Build succeeded: 0 job runs", escaped.Output);

        var runs = graph.Runs().Count;
        var bad = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/{9..7}").Failed();
        Assert.Contains("ends at 7, below where it starts", bad.Output);
        Assert.Equal(runs, graph.Runs().Count);
    }

    [Fact]
    public void Under_the_terminal_logger_each_job_and_the_summary_are_shown_as_the_build_runs()
    {
        // --tl:on forces the terminal logger, the default in a terminal, even though the output is redirected here.
        var result = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/21", "--tl:on").Succeeded();

        var output = result.Output;
        var started = output.IndexOf("DataBuild: started letters letters/21", StringComparison.Ordinal);
        var summary = output.IndexOf("DataBuild: Build succeeded: 2 job runs", StringComparison.Ordinal);
        // At its default verbosity the terminal logger does not print ordinary high-importance messages at all; these
        // lines come as the jobs run, before the project's result line.
        var projectResult = output.IndexOf("Graph test", StringComparison.Ordinal);
        Assert.True(started >= 0 && summary > started && projectResult > summary, output);
        Assert.Contains("DataBuild: built words words/21", output);
    }

    [Fact]
    public void The_manifest_carries_DataBuildEnvironment_so_the_cli_builds_from_it_as_dotnet_build_does_and_state_dir_moves_the_state()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(graph.Manifest))!;
        Assert.Equal(graph.DataDirectory, manifest["environment"]!["DATA_DIR"]!.GetValue<string>());
        var state = graph.Folder.Combine("state-elsewhere");
        var cli = Repository.Path("src", "DataBuild.Cli", "bin", "Debug", "net10.0", "databuild.dll");

        // No DATA_DIR in the environment: the C# job's configure reads the manifest's, as under dotnet build -t:DataBuild.
        DotNet.Run("dotnet", graph.Folder.Path, [cli, "build", "--graph", graph.Manifest, "--state-dir", state, "words/31"],
            new Dictionary<string, string?> { ["DATA_DIR"] = null }).Succeeded();

        Assert.Equal("LETTER 31\n", graph.Read("words/31"));
        Assert.True(File.Exists(Path.Combine(state, "bel.sqlite")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(state, "logs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_configure_timeout_reaches_the_manifest_and_the_kill_grace_reaches_the_cli()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(graph.Manifest))!;
        Assert.Equal(60, manifest["jobs"]![1]!["configureTimeoutSeconds"]!.GetValue<int>());

        var result = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/1", "-p:DataBuildKillGraceSeconds=-1").Failed();

        Assert.Contains("--kill-grace-seconds must be 0 or more, got -1", result.Output);
    }

    [Fact]
    public void A_failed_job_is_an_error_naming_the_job_its_run_id_and_its_log()
    {
        // A log named by a path is created only in a folder that exists.
        Directory.CreateDirectory(Path.Combine(graph.GraphDirectory, "failures"));
        var result = DotNet.Build(graph.GraphDirectory, "-t:DataBuild", "-p:Partitions=words/13", "-p:DataBuildBel=sqlite:failures/bel.sqlite",
            "-p:DataBuildParallelism=1").Failed();

        var error = Assert.Single(result.Errors("DB0100"));
        Assert.StartsWith(Path.Combine(graph.GraphDirectory, "Graph.csproj") + " : error DB0100: job 'words' failed to build words/13 (run ", error);
        var log = error[(error.IndexOf("log: ", StringComparison.Ordinal) + "log: ".Length)..].Split(' ')[0];
        Assert.Contains("13 is unlucky", File.ReadAllText(log));
        Assert.False(File.ReadAllBytes(log).AsSpan().StartsWith(System.Text.Encoding.UTF8.Preamble), "the job log starts with a byte order mark");
        var runId = Path.GetFileNameWithoutExtension(log);
        Assert.Contains($"(run {runId})", error);
        // The upstream was built before the job failed, and said so as it happened.
        Assert.Contains("DataBuild: built letters letters/13", result.Output);
        // A relative BEL path is taken from the project folder.
        Assert.True(File.Exists(Path.Combine(graph.GraphDirectory, "failures", "bel.sqlite")));
    }

    [Fact]
    public void Analyze_prints_and_writes_the_job_graph_and_Mermaid_writes_a_flowchart_without_running_jobs()
    {
        var refs = graph.Folder.Write("refs.txt", "# the partitions to draw\nwords/7\n");
        var runsBefore = graph.Runs().Count;

        var analyze = DotNet.Build(graph.GraphDirectory, "-t:DataBuildAnalyze", "-p:Partitions=words/7").Succeeded();
        var mermaid = DotNet.Build(graph.GraphDirectory, "-t:DataBuildMermaid", $"-p:PartitionsFile={refs}").Succeeded();

        var jobGraph = Path.Combine(graph.GraphDirectory, "bin", "Debug", "net10.0", "Graph.jobgraph.json");
        var nodes = JsonNode.Parse(File.ReadAllText(jobGraph))!["nodes"]!.AsArray();
        Assert.Equal(["words", "letters"], nodes.Select(n => n!["job"]!["label"]!.GetValue<string>()));
        Assert.Contains("\"letters/7\"", analyze.Output);
        var flowchart = File.ReadAllText(Path.Combine(graph.GraphDirectory, "bin", "Debug", "net10.0", "Graph.jobgraph.mmd"));
        Assert.StartsWith("flowchart LR", flowchart);
        Assert.Contains("words/7", flowchart);
        Assert.Contains("Graph.jobgraph.mmd", mermaid.Output);
        Assert.Equal(runsBefore, graph.Runs().Count);
    }

    [Fact]
    public async Task Published_folder_builds_partitions_from_another_directory_with_the_runtime_but_no_sdk()
    {
        DotNet.Run("dotnet", graph.GraphDirectory, ["publish", "--disable-build-servers", "-o", graph.Folder.Combine("publish")]).Succeeded();
        // Moved away from everything it was built from: the manifest must hold relative paths only.
        var deployed = graph.Folder.Combine("deployed");
        Directory.Move(graph.Folder.Combine("publish"), deployed);
        var manifest = File.ReadAllText(Path.Combine(deployed, "graph.json"));
        Assert.DoesNotContain(graph.Folder.Path, manifest);
        Assert.Contains("\"jobs/words/Words.dll\"", manifest);
        Assert.Contains("\"jobs/letters/letters.sh\"", manifest);
        // Framework-dependent and portable, but with SQLite's natives for this machine only, the runner's and the C# job's.
        Assert.Equal([RuntimeInformation.RuntimeIdentifier], Directory.GetDirectories(Path.Combine(deployed, "runtimes")).Select(Path.GetFileName));
        Assert.Equal([RuntimeInformation.RuntimeIdentifier], Directory.GetDirectories(Path.Combine(deployed, "jobs", "words", "runtimes")).Select(Path.GetFileName));

        var runtimeOnly = RuntimeOnlyDotNet.Create(graph.Folder.Combine("runtime-only"));
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_ROOT"] = runtimeOnly,
            ["PATH"] = $"{runtimeOnly}:/usr/bin:/bin",
            ["DATA_DIR"] = graph.Folder.Combine("deployed-data"),
        };
        var elsewhere = Directory.CreateDirectory(graph.Folder.Combine("elsewhere")).FullName;
        Assert.Equal("", DotNet.Run(Path.Combine(runtimeOnly, "dotnet"), elsewhere, ["--list-sdks"], environment).Succeeded().Output.Trim());

        var result = DotNet.Run(Path.Combine(deployed, "databuild"), elsewhere, ["build", "words/5"], environment).Succeeded();

        Assert.Contains("Build succeeded: 2 job runs", result.Output);
        Assert.Equal("LETTER 5\n", File.ReadAllText(graph.Folder.Combine("deployed-data", "words", "5")));
        Assert.True(File.Exists(Path.Combine(deployed, ".databuild", "bel.sqlite")));

        // The published folder also runs the service: the ASP.NET Core shared framework is found beside the runtime.
        var partition = await PublishedService.GetAsync(Path.Combine(deployed, "databuild"), elsewhere, environment, "/api/v1/partitions/words/5");
        Assert.Contains("PARTITION_AVAILABLE", partition);
    }
}
