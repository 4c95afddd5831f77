using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Refs;

/// <summary>A capture next to another wildcard, with no literal between them, has no well-defined value.</summary>
public class AmbiguousPatternTests
{
    [Theory]
    [InlineData("t/{a}{b}", "'{a}' and '{b}' (position 5)")]
    [InlineData("t/{a}*", "'{a}' and '*' (position 5)")]
    [InlineData("t/*{a}", "'*' and '{a}' (position 3)")]
    [InlineData("t/**{a}", "'**' and '{a}' (position 4)")]
    [InlineData("{a}**", "'{a}' and '**' (position 3)")]
    [InlineData("t/x{a}{b}y", "'{a}' and '{b}' (position 6)")]
    public void Adjacent_wildcards_next_to_a_capture_are_named_with_their_position(string text, string expected)
    {
        var ambiguity = PartitionPattern.Parse(text).Ambiguity;

        Assert.NotNull(ambiguity);
        Assert.Contains(expected, ambiguity);
        Assert.Contains("no literal text between them", ambiguity);
    }

    [Theory]
    [InlineData("t/{a}-{b}")]
    [InlineData("t/{a}/{b}")]
    [InlineData("t/x{a}y*")]
    [InlineData("t/***")]
    [InlineData("t/**/{a}")]
    [InlineData("t/date={d}")]
    public void Wildcards_separated_by_literal_text_or_without_captures_are_not_ambiguous(string text)
    {
        Assert.Null(PartitionPattern.Parse(text).Ambiguity);
    }

    [Fact]
    public void An_ambiguous_output_pattern_is_a_manifest_error_naming_the_job_and_the_pattern()
    {
        var folder = Path.Combine(Path.GetTempPath(), "databuild-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "graph.json"),
                """{ "label": "g", "jobs": [ { "label": "split", "command": ["bash"], "outputs": ["ok/{x}", "t/{a}{b}"] } ] }""");

            var problem = Assert.Single(Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder)).Problems);

            Assert.Equal(("split", "$.jobs[0].outputs[1]", GraphManifestProblemKind.AmbiguousPattern), (problem.Job, problem.JsonPath, problem.Kind));
            Assert.Contains("the pattern 't/{a}{b}' is ambiguous: '{a}' and '{b}' (position 5)", problem.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_manifest_built_in_code_is_refused_the_same_way()
    {
        var job = new JobDefinition("split", ["bash"], [PartitionPattern.Parse("t/{a}*")]);

        var problem = Assert.Single(Assert.Throws<GraphManifestException>(() => new GraphManifest("g", [job])).Problems);

        Assert.Equal(GraphManifestProblemKind.AmbiguousPattern, problem.Kind);
    }
}
