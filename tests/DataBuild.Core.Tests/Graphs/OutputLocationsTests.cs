using DataBuild.Engine;
using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

public class OutputLocationsTests
{
    private static JobDefinition Job(string[] outputs, string[] locations, bool existsVerb = false) =>
        new("totals", ["bash"], outputs.Select(PartitionPattern.Parse)) { Locations = locations, ExistsVerb = existsVerb };

    [Fact]
    public void A_location_takes_its_patterns_captures_relative_to_the_working_directory_or_absolute()
    {
        using var folder = new TempFolder();
        var job = Job(["totals/day={day}", "totals/all"], ["data/totals/day={day}", "/srv/totals.csv"]);
        var graph = new GraphManifest("g", [job], folder.Path, "work");

        Assert.Equal(Path.Combine(folder.Path, "work", "data/totals/day=mon"), OutputLocations.Of(graph, job, "totals/day=mon"));
        Assert.Equal("/srv/totals.csv", OutputLocations.Of(graph, job, "totals/all"));
        Assert.Null(OutputLocations.Of(graph, Job(["totals/day={day}"], []), "totals/day=mon"));
    }

    [Theory]
    [InlineData("totals/day={day}", "data/totals/day={day}", "totals/day=mon", "data/totals/day=mon")]
    [InlineData("totals/day={day}", "totals/day={day}", "totals/day=mon", "totals/day=mon")]
    [InlineData("totals/day={day}", "/srv/totals/day={day}", "totals/day=mon", "/srv/totals/day=mon")]
    [InlineData("totals/day={day}", "../out/totals/day={day}", "totals/day=mon", "../out/totals/day=mon")]
    [InlineData("totals/day={day}", "data/{day}.csv", "totals/day=mon", "data/mon.csv")]
    [InlineData("totals/day={day}", "datatotals/day={day}", "totals/day=mon", "datatotals/day=mon")]
    [InlineData("t/{a}_{b}/x", "d/t/{a}_{b}/x", "t/1_2/x", "d/t/1_2/x")]
    [InlineData("t/*/{day}", "d/t/x/{day}", "t/any/mon", "d/t/x/mon")]
    public void A_prepared_location_is_the_one_its_template_gives(string pattern, string template, string partitionRef, string expected)
    {
        using var folder = new TempFolder();
        var job = Job([pattern], [template]);
        var graph = new GraphManifest("g", [job], folder.Path, "work");

        var prepared = OutputLocations.Prepare(graph).Of(job.Outputs[0], partitionRef);

        Assert.Equal(Path.GetFullPath(expected, Path.Combine(folder.Path, "work")), prepared);
        Assert.Equal(OutputLocations.Of(graph, job, partitionRef), prepared);
        Assert.Null(OutputLocations.Prepare(graph).Of(PartitionPattern.Parse(pattern), partitionRef));
    }

    [Theory]
    [InlineData(new[] { "a/{x}", "b/{y}" }, new[] { "data/{x}" }, "$.jobs[0].locations", "1 locations for 2 output patterns")]
    [InlineData(new[] { "a/{x}" }, new[] { " " }, "$.jobs[0].locations[0]", "must not be empty")]
    [InlineData(new[] { "a/{x}/{y}" }, new[] { "data/{x}" }, "$.jobs[0].locations[0]", "leaves out {y} of the pattern 'a/{x}/{y}', so two partitions would share it")]
    [InlineData(new[] { "a/{x}" }, new[] { "data/{x}/{z}" }, "$.jobs[0].locations[0]", "names {z}, which the pattern 'a/{x}' does not capture")]
    public void Locations_must_be_one_per_output_with_the_same_captures(string[] outputs, string[] locations, string path, string message)
    {
        var problem = Assert.Single(GraphManifest.Check("g", [Job(outputs, locations)]));

        Assert.Equal(GraphManifestProblemKind.InvalidLocation, problem.Kind);
        Assert.Equal(path, problem.JsonPath);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void Locations_and_the_exists_verb_are_written_to_the_manifest_and_read_back()
    {
        using var folder = new TempFolder();
        var graph = new GraphManifest("g", [Job(["a/{x}"], ["data/a/{x}.csv"], existsVerb: true)], folder.Path);
        var file = folder.Write("graph.json", graph.ToJson());

        var job = GraphManifest.Load(file).Jobs.Single();

        Assert.Equal(["data/a/{x}.csv"], job.Locations);
        Assert.True(job.ExistsVerb);
        Assert.Contains("\"locations\": [", graph.ToJson());
    }

    [Fact]
    public void Presence_reports_the_missing_location_and_never_checks_jobs_without_locations()
    {
        using var folder = new TempFolder();
        folder.Write("data/a/1", "x");
        var located = Job(["a/{n}"], ["data/a/{n}"]);
        var unlocated = new JobDefinition("b", ["bash"], [PartitionPattern.Parse("b/{n}")]);
        var graph = new GraphManifest("g", [located, unlocated], folder.Path);
        var presence = new OutputPresence(graph, new GraphLookup(graph));

        presence.Check(["a/1", "a/2", "b/1"]);

        Assert.Null(presence.Missing("a/1"));
        Assert.Equal($"nothing at {Path.Combine(folder.Path, "data/a/2")}", presence.Missing("a/2"));
        Assert.Null(presence.Missing("b/1"));
        Assert.Null(presence.LocationOf("b/1"));
    }
}
