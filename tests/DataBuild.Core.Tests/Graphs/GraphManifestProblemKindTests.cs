using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

/// <summary>
/// Each rule a manifest breaks comes with its kind and its job's index, so a surface (the MSBuild tasks)
/// reports it in its own terms without reading the message or the JSON path.
/// </summary>
public class GraphManifestProblemKindTests
{
    private static JobDefinition Job(string label, string program, params string[] outputs) =>
        new(label, [program], outputs.Select(PartitionPattern.Parse));

    [Fact]
    public void Every_rule_of_a_graph_built_in_code_has_its_kind_and_job_index()
    {
        var jobs = new[]
        {
            WithRetries(Job("a", "bash", "a/{x}"), -1),
            Job("b@home", "bash", "b/{x}"),
            Job("c", "bash"),
            Job("a", "bash", "d/{x}"),
            Job("e", "bash", "a/{y}"),
            new JobDefinition("f", [], [PartitionPattern.Parse("f/{x}")]) { TimeoutSeconds = 0 },
        };

        var problems = GraphManifest.Check("bad label", jobs);

        Assert.Equal(GraphManifestProblemKind.InvalidLabel, Single(problems, null).Kind);
        Assert.Equal(GraphManifestProblemKind.InvalidNumber, Single(problems, 0).Kind);
        Assert.Equal(GraphManifestProblemKind.InvalidLabel, Single(problems, 1).Kind);
        Assert.Equal("b@home", Single(problems, 1).Value);
        Assert.Equal(GraphManifestProblemKind.NoOutputs, Single(problems, 2).Kind);
        var duplicate = Single(problems, 3);
        Assert.Equal((GraphManifestProblemKind.DuplicateLabel, 0), (duplicate.Kind, duplicate.ConflictingJobIndex));
        var same = Single(problems, 4);
        Assert.Equal((GraphManifestProblemKind.SamePatterns, 0, "a/{y}", "a/{x}"), (same.Kind, same.ConflictingJobIndex, same.Value, same.ConflictingValue));
        Assert.Equal([GraphManifestProblemKind.NoCommand, GraphManifestProblemKind.InvalidNumber],
            problems.Where(p => p.JobIndex == 5).Select(p => p.Kind).Order());
    }

    [Fact]
    public void A_graph_without_problems_has_none()
    {
        Assert.Empty(GraphManifest.Check("g", [Job("a", "bash", "a/{x}"), Job("b", "python3", "b/{x}")]));
    }

    [Fact]
    public void Commands_are_checked_only_when_a_folder_is_given_and_then_absolute_ones_too()
    {
        using var folder = new TempFolder();
        var present = folder.Write("jobs/present.sh", "#!/bin/sh\n", executable: true);
        var missingAbsolute = Path.Combine(folder.Path, "jobs", "gone.sh");
        var jobs = new[] { Job("a", "jobs/present.sh", "a/{x}"), Job("b", "jobs/missing.sh", "b/{x}"), Job("c", missingAbsolute, "c/{x}"), Job("d", present, "d/{x}"), Job("e", "bash", "e/{x}") };

        Assert.Empty(GraphManifest.Check("g", jobs));
        var problems = GraphManifest.Check("g", jobs, folder.Path);

        Assert.All(problems, p => Assert.Equal(GraphManifestProblemKind.CommandNotFound, p.Kind));
        Assert.Equal([(1, "jobs/missing.sh"), (2, missingAbsolute)], problems.Select(p => (p.JobIndex!.Value, p.Value!)));
    }

    [Theory]
    [InlineData("""{ "label": "g", "jobs": [ { "label": "a", "command": ["bash"], "outputs": ["a/{x"] } ] }""", GraphManifestProblemKind.InvalidPattern)]
    [InlineData("""{ "label": "g", "jobs": [ { "label": "a", "command": ["bash"], "outputs": ["a/{x}"], "retries": 1e12 } ] }""", GraphManifestProblemKind.InvalidNumber)]
    [InlineData("""{ "label": "g", "jobs": [ { "label": "a", "command": ["bash"], "outputs": ["a/{x}"], "retries": "2" } ] }""", GraphManifestProblemKind.Syntax)]
    [InlineData("""{ "label": "g", "jobs": [ { "label": "a", "command": ["bash"], "outputs": ["a/{x}"], "retry": 2 } ] }""", GraphManifestProblemKind.Syntax)]
    [InlineData("""{ "label": "g", "jobs": [ { "label": "a", "command": ["./nope.sh"], "outputs": ["a/{x}"] } ] }""", GraphManifestProblemKind.CommandNotFound)]
    public void A_loaded_manifest_gives_the_same_kinds(string json, GraphManifestProblemKind kind)
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", json);

        var problem = Assert.Single(Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder.Path)).Problems);

        Assert.Equal(kind, problem.Kind);
        Assert.Equal(0, problem.JobIndex);
    }

    private static JobDefinition WithRetries(JobDefinition job, int retries) =>
        new(job.Label, job.Command, job.Outputs) { Retries = retries };

    private static GraphManifestProblem Single(IEnumerable<GraphManifestProblem> problems, int? job) =>
        Assert.Single(problems, p => p.JobIndex == job);
}
