using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

public class GraphManifestValidationTests
{
    private const string GoodJob = """{ "label": "good", "command": ["bash"], "outputs": ["good/{x}"] }""";

    [Theory]
    [InlineData("""{ "label": "g", "jobs": [ """, "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("""{ "label": "g", "jobs": [] } trailing""", "not valid JSON")]
    [InlineData("""[ "label" ]""", "the manifest must be a JSON object, got an array")]
    public void A_file_that_is_not_a_manifest_object_is_one_problem(string json, string expected)
    {
        var problem = Assert.Single(LoadProblems(json, out var file));

        Assert.Equal(file, problem.File);
        Assert.Contains(expected, problem.Message);
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void A_syntax_error_names_its_line_and_column()
    {
        var problem = Assert.Single(LoadProblems("{ \"label\": \"g\",\n  \"jobs\": [ { \"label\": } ] }", out _));

        Assert.Equal((2, 24), (problem.Line, problem.Column));
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_refused()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(Path.Combine(folder.Path, "graph.json"), [(byte)'{', (byte)'"', 0xff, (byte)'"', (byte)':', (byte)'1', (byte)'}']);

        var problem = Assert.Single(Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder.Path)).Problems);

        Assert.Contains("not UTF-8", problem.Message);
        Assert.Equal((1, 3), (problem.Line, problem.Column));
    }

    [Fact]
    public void Graph_level_problems_are_all_reported()
    {
        var problems = LoadProblems("""{ "label": "bad label", "lbl": 1 }""", out var file);

        Assert.All(problems, p => Assert.Equal(file, p.File));
        Assert.All(problems, p => Assert.Null(p.Job));
        AssertProblem(problems, "$.label", "contains ' '");
        AssertProblem(problems, "$.lbl", "unknown field 'lbl'; did you mean 'label'?");
        AssertProblem(problems, "$.jobs", "no 'jobs' field");
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void A_missing_graph_label_is_reported()
    {
        AssertProblem(LoadProblems("""{ "jobs": [] }""", out _), "$.label", "the graph has no label");
    }

    [Theory]
    [InlineData("output", "\"output\": [\"a/{x}\"]", "unknown field 'output'; did you mean 'outputs'?")]
    [InlineData("timeout", "\"timeout\": 5", "unknown field 'timeout'; did you mean 'timeoutSeconds'?")]
    [InlineData("Version", "\"Version\": \"1\"", "unknown field 'Version'; did you mean 'version'?")]
    [InlineData("env", "\"env\": {}", "unknown field 'env'; a job has only label, command, outputs")]
    public void Unknown_job_fields_are_caught_with_a_suggestion(string field, string json, string expected)
    {
        var problems = LoadProblems($$"""{ "label": "g", "jobs": [ { "label": "j", "command": ["bash"], "outputs": ["j/{x}"], {{json}} } ] }""", out var file);

        var problem = AssertProblem(problems, $"$.jobs[0].{field}", expected);
        Assert.Equal("j", problem.Job);
        Assert.Contains($"{file}:1:", problem.ToString());
        Assert.Contains("job 'j' ($.jobs[0].", problem.ToString());
    }

    [Theory]
    [InlineData("{ \"label\": 5, \"command\": [\"bash\"], \"outputs\": [\"j/{x}\"] }", "$.jobs[0].label", "must be a string, got the number 5")]
    [InlineData("{ \"label\": \"j\", \"command\": \"bash run.sh\", \"outputs\": [\"j/{x}\"] }", "$.jobs[0].command", "must be an array of strings, got the string \"bash run.sh\"")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\", 2], \"outputs\": [\"j/{x}\"] }", "$.jobs[0].command[1]", "must be a string, got the number 2")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\"], \"outputs\": \"j/{x}\" }", "$.jobs[0].outputs", "must be an array of pattern strings")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\"], \"outputs\": [null] }", "$.jobs[0].outputs[0]", "must be a pattern string, got null")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\"], \"outputs\": [\"j/{x}\"], \"retries\": \"2\" }", "$.jobs[0].retries", "must be a whole number, got the string \"2\"")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\"], \"outputs\": [\"j/{x}\"], \"retries\": 1.5 }", "$.jobs[0].retries", "must be a whole number, got 1.5")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\"], \"outputs\": [\"j/{x}\"], \"timeoutSeconds\": 1e12 }", "$.jobs[0].timeoutSeconds", "must be a whole number between")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\"], \"outputs\": [\"j/{x}\"], \"maxConcurrency\": true }", "$.jobs[0].maxConcurrency", "must be a whole number, got true")]
    [InlineData("{ \"label\": \"j\", \"command\": [\"bash\"], \"outputs\": [\"j/{x}\"], \"version\": 1 }", "$.jobs[0].version", "must be a string, got the number 1")]
    public void Wrong_types_are_reported_once(string job, string path, string expected)
    {
        var problems = LoadProblems($$"""{ "label": "g", "jobs": [ {{job}} ] }""", out _);

        var problem = Assert.Single(problems);
        Assert.Equal(path, problem.JsonPath);
        Assert.Contains(expected, problem.Message);
    }

    [Fact]
    public void A_whole_number_written_with_a_fraction_is_accepted()
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", """{ "label": "g", "jobs": [ { "label": "j", "command": ["bash"], "outputs": ["j/{x}"], "retries": 2.0 } ] }""");

        Assert.Equal(2, GraphManifest.Load(folder.Path).Jobs[0].Retries);
    }

    [Fact]
    public void Value_rules_name_the_job()
    {
        var problems = LoadProblems("""
            { "label": "g", "jobs": [
              { "label": "j", "command": ["bash"], "outputs": ["j/{x}"], "retries": -1, "timeoutSeconds": -5, "maxConcurrency": 0 },
              { "label": "k", "command": [], "outputs": [] },
              { "label": "l", "command": [""], "outputs": ["l/{x}"] },
              { "label": "m!", "command": ["bash"], "outputs": ["m/{x}"] }
            ] }
            """, out var file);

        Assert.All(problems, p => Assert.Equal(file, p.File));
        Assert.Equal("j", AssertProblem(problems, "$.jobs[0].retries", "retries must not be negative, got -1").Job);
        Assert.Equal("j", AssertProblem(problems, "$.jobs[0].timeoutSeconds", "at least 1").Job);
        Assert.Equal("j", AssertProblem(problems, "$.jobs[0].maxConcurrency", "at least 1").Job);
        Assert.Equal("k", AssertProblem(problems, "$.jobs[1].command", "the command is missing or empty").Job);
        Assert.Equal("k", AssertProblem(problems, "$.jobs[1].outputs", "the outputs are missing or empty").Job);
        Assert.Equal("l", AssertProblem(problems, "$.jobs[2].command[0]", "must not be empty").Job);
        Assert.Equal("m!", AssertProblem(problems, "$.jobs[3].label", "label 'm!' contains '!'").Job);
        Assert.Equal(7, problems.Count);
        Assert.Equal((2, 62), (problems[0].Line, problems[0].Column));
    }

    [Fact]
    public void A_configure_timeout_below_one_second_names_the_job_and_the_default()
    {
        var problems = LoadProblems("""
            { "label": "g", "jobs": [ { "label": "j", "command": ["bash"], "outputs": ["j/{x}"], "configureTimeoutSeconds": 0 } ] }
            """, out _);

        Assert.Equal("j", AssertProblem(problems, "$.jobs[0].configureTimeoutSeconds", "at least 1 (leave it out for the default of 300), got 0").Job);
    }

    [Fact]
    public void Missing_command_and_outputs_are_reported_at_the_job()
    {
        var problems = LoadProblems("""{ "label": "g", "jobs": [ { "label": "j" } ] }""", out _);

        Assert.Equal("j", AssertProblem(problems, "$.jobs[0].command", "missing or empty").Job);
        var outputs = AssertProblem(problems, "$.jobs[0].outputs", "missing or empty");
        Assert.Equal((1, 27), (outputs.Line, outputs.Column));
    }

    [Fact]
    public void A_job_without_a_label_is_named_by_its_path()
    {
        var problems = LoadProblems($$"""{ "label": "g", "jobs": [ {{GoodJob}}, { "command": ["bash"], "outputs": ["b/{x}"] } ] }""", out _);

        var problem = AssertProblem(problems, "$.jobs[1].label", "the job has no label");
        Assert.Null(problem.Job);
        Assert.Contains("unlabelled job ($.jobs[1].label)", problem.ToString());
    }

    [Fact]
    public void A_job_that_is_not_an_object_is_one_problem()
    {
        var problems = LoadProblems($$"""{ "label": "g", "jobs": [ 7, {{GoodJob}} ] }""", out _);

        Assert.Equal("$.jobs[0]", Assert.Single(problems).JsonPath);
        Assert.Contains("a job must be a JSON object, got the number 7", problems[0].Message);
    }

    [Fact]
    public void Duplicate_job_labels_name_both_jobs()
    {
        var problems = LoadProblems($$"""{ "label": "g", "jobs": [ {{GoodJob}}, { "label": "good", "command": ["bash"], "outputs": ["other/{x}"] } ] }""", out _);

        var problem = Assert.Single(problems);
        Assert.Equal("good", problem.Job);
        Assert.Equal("$.jobs[1].label", problem.JsonPath);
        Assert.Contains("already used by the job at $.jobs[0]", problem.Message);
    }

    [Fact]
    public void A_repeated_field_is_reported()
    {
        var problems = LoadProblems("""{ "label": "g", "jobs": [ { "label": "j", "command": ["bash"], "outputs": ["j/{x}"], "outputs": ["k/{x}"] } ] }""", out _);

        Assert.Contains("the field 'outputs' appears more than once", Assert.Single(problems).Message);
    }

    [Fact]
    public void Invalid_patterns_are_each_reported_with_the_parse_problem()
    {
        var problems = LoadProblems("""{ "label": "g", "jobs": [ { "label": "j", "command": ["bash"], "outputs": ["a/{x", "/abs", "a/{1x}", "ok/{x}"] } ] }""", out _);

        Assert.Contains("is never closed", AssertProblem(problems, "$.jobs[0].outputs[0]", "invalid pattern 'a/{x'").Message);
        AssertProblem(problems, "$.jobs[0].outputs[1]", "must not start with '/'");
        AssertProblem(problems, "$.jobs[0].outputs[2]", "a capture name is a letter");
        Assert.Equal(3, problems.Count);
        Assert.All(problems, p => Assert.Equal("j", p.Job));
    }

    [Fact]
    public void A_job_whose_every_pattern_is_invalid_is_not_also_told_its_outputs_are_empty()
    {
        var problems = LoadProblems("""{ "label": "g", "jobs": [ { "label": "j", "command": ["bash"], "outputs": ["a b"] } ] }""", out _);

        Assert.Equal("$.jobs[0].outputs[0]", Assert.Single(problems).JsonPath);
    }

    [Fact]
    public void Two_jobs_declaring_the_same_pattern_name_both()
    {
        var problems = LoadProblems("""
            { "label": "g", "jobs": [
              { "label": "first", "command": ["bash"], "outputs": ["shared/date={date}"] },
              { "label": "second", "command": ["bash"], "outputs": ["bad{", "mine/{x}", "shared/date={day}"] }
            ] }
            """, out _);

        var problem = AssertProblem(problems, "$.jobs[1].outputs[2]", "the pattern 'shared/date={day}' matches the same refs as 'shared/date={date}' of job 'first' ($.jobs[0].outputs[0])");
        Assert.Equal("second", problem.Job);
        Assert.Equal(2, problems.Count);
    }

    [Fact]
    public void One_job_declaring_a_pattern_twice_is_reported()
    {
        var problems = LoadProblems("""{ "label": "g", "jobs": [ { "label": "j", "command": ["bash"], "outputs": ["a/{x}", "a/{y}"] } ] }""", out _);

        AssertProblem(problems, "$.jobs[0].outputs[1]", "matches the same refs as 'a/{x}' of this job ($.jobs[0].outputs[0])");
    }

    [Fact]
    public void The_exception_message_lists_every_problem_with_file_and_job()
    {
        using var folder = new TempFolder();
        var file = folder.Write("graph.json", """{ "label": "g", "jobs": [ { "label": "j", "command": [], "outputs": [], "retries": -1 } ] }""");

        var exception = Assert.Throws<GraphManifestException>(() => GraphManifest.Load(file));

        Assert.Equal(file, exception.Origin);
        Assert.StartsWith($"graph manifest {file} has 3 problems:", exception.Message);
        Assert.Contains($"{file}:1:43: job 'j' ($.jobs[0].command): the command is missing or empty", exception.Message);
        Assert.Contains($"{file}:1:58: job 'j' ($.jobs[0].outputs)", exception.Message);
        Assert.Contains($"{file}:1:73: job 'j' ($.jobs[0].retries)", exception.Message);
    }

    [Fact]
    public void A_manifest_built_in_code_is_validated_the_same_way()
    {
        var jobs = new[]
        {
            new JobDefinition("a", ["bash"], [PartitionPattern.Parse("x/{y}")]) { Retries = -1 },
            new JobDefinition("a", [], [PartitionPattern.Parse("x/{z}")]),
        };

        var exception = Assert.Throws<GraphManifestException>(() => new GraphManifest("g", jobs));

        Assert.All(exception.Problems, p => Assert.Null(p.File));
        Assert.All(exception.Problems, p => Assert.Equal("a", p.Job));
        AssertProblem(exception.Problems, "$.jobs[0].retries", "must not be negative");
        AssertProblem(exception.Problems, "$.jobs[1].label", "already used");
        AssertProblem(exception.Problems, "$.jobs[1].command", "missing or empty");
        AssertProblem(exception.Problems, "$.jobs[1].outputs[0]", "matches the same refs as 'x/{y}' of job 'a'");
        Assert.Contains("(built in code): job 'a' ($.jobs[0].retries)", exception.Message);
    }

    private static IReadOnlyList<GraphManifestProblem> LoadProblems(string json, out string file)
    {
        using var folder = new TempFolder();
        file = folder.Write("graph.json", json);
        var path = file;
        return Assert.Throws<GraphManifestException>(() => GraphManifest.Load(path)).Problems;
    }

    private static GraphManifestProblem AssertProblem(IEnumerable<GraphManifestProblem> problems, string path, string message)
    {
        var atPath = problems.Where(p => p.JsonPath == path).ToList();
        Assert.True(atPath.Count > 0, $"no problem at {path}; problems:\n{string.Join("\n", problems)}");
        return Assert.Single(atPath, p => p.Message.Contains(message, StringComparison.Ordinal));
    }
}
