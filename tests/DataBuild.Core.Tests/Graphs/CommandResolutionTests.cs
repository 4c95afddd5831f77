using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

public class CommandResolutionTests
{
    [Theory]
    [InlineData("jobs/extract.sh", "jobs/extract.sh")]
    [InlineData("./extract.sh", "extract.sh")]
    [InlineData("../shared/extract.sh", "../shared/extract.sh")]
    public void A_relative_program_resolves_against_the_manifest_folder(string program, string fileUnderGraph)
    {
        using var root = new TempFolder();
        var graphFolder = Path.Combine(root.Path, "graph");
        var script = root.Write(Path.Combine("graph", fileUnderGraph), "#!/bin/sh\n", executable: true);
        root.Write(Path.Combine("graph", "graph.json"), Manifest(program, "--verbose"));

        var manifest = GraphManifest.Load(graphFolder);

        Assert.Equal([Path.GetFullPath(script), "--verbose"], manifest.ResolveCommand(manifest.Jobs[0]));
        Assert.Equal([program, "--verbose"], manifest.Jobs[0].Command);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("python3")]
    public void A_bare_program_name_is_left_for_a_PATH_lookup_and_not_checked(string program)
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", Manifest(program, "jobs/run.py"));

        var manifest = GraphManifest.Load(folder.Path);

        Assert.Equal([program, "jobs/run.py"], manifest.ResolveCommand(manifest.Jobs[0]));
    }

    [Fact]
    public void An_absolute_program_is_used_as_it_is()
    {
        using var folder = new TempFolder();
        var script = folder.Write("elsewhere/run.sh", "#!/bin/sh\n", executable: true);
        folder.Write("graph/graph.json", Manifest(script));

        var manifest = GraphManifest.Load(Path.Combine(folder.Path, "graph"));

        Assert.Equal([script], manifest.ResolveCommand(manifest.Jobs[0]));
    }

    [Fact]
    public void A_relative_program_that_does_not_exist_names_the_job_and_the_resolved_path()
    {
        using var folder = new TempFolder();
        var file = folder.Write("graph.json", Manifest("jobs/missing.sh"));

        var problem = Assert.Single(Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder.Path)).Problems);

        Assert.Equal(file, problem.File);
        Assert.Equal("extract", problem.Job);
        Assert.Equal("$.jobs[0].command[0]", problem.JsonPath);
        Assert.Contains($"'jobs/missing.sh' resolves to '{Path.Combine(folder.Path, "jobs", "missing.sh")}', which is not an existing file", problem.Message);
    }

    [Fact]
    public void A_folder_is_not_a_program()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "jobs"));
        folder.Write("graph.json", Manifest("./jobs"));

        var problem = Assert.Single(Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder.Path)).Problems);

        Assert.Contains("not an existing file", problem.Message);
    }

    [Fact]
    public void A_manifest_built_in_code_may_name_a_program_not_built_yet_but_loading_it_checks()
    {
        using var folder = new TempFolder();
        var job = new JobDefinition("extract", ["bin/extract"], [PartitionPattern.Parse("reviews/date={date}")]);

        var manifest = new GraphManifest("g", [job], folder.Path);
        manifest.Save(folder.Path);

        Assert.Equal([Path.Combine(folder.Path, "bin", "extract")], manifest.ResolveCommand(job));
        Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder.Path));
        folder.Write("bin/extract", "", executable: true);
        Assert.Equal("extract", GraphManifest.Load(folder.Path).Jobs[0].Label);
    }

    private static string Manifest(params string[] command) =>
        $$"""{ "label": "g", "jobs": [ { "label": "extract", "command": [{{string.Join(", ", command.Select(c => $"\"{c}\""))}}], "outputs": ["reviews/date={date}"] } ] }""";
}
