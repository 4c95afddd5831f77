using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>
/// Bad input fed through the real CLI: every message names the input and what is wrong in words, exits 2,
/// and shows no .NET type names, parameter names, reader positions or stack traces.
/// </summary>
public class BadInputMessageTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public BadInputMessageTests()
    {
        _graph.WriteGraph(("t", [_graph.WriteJob("t")], ["t/{x}"], null));
    }

    public void Dispose() => _graph.Dispose();

    [Theory]
    [InlineData("--since must be an event index, 0 or more, got -1", "events", "--since", "-1")]
    [InlineData("--since must be a whole number, got 'abc'", "events", "--since", "abc")]
    [InlineData("--limit must be a whole number, got 'ten'", "events", "--limit", "ten")]
    [InlineData("--limit must be a whole number from -2147483648 to 2147483647, got '99999999999'", "runs", "--limit", "99999999999")]
    [InlineData("--parallelism must be a whole number, got 'abc'", "build", "-j", "abc", "t/1")]
    [InlineData("--parallelism must be a whole number, got '1.5'", "reconcile", "--once", "--parallelism", "1.5")]
    [InlineData("BEL storage 'nosuch:x' is not a supported URI", "status", "--bel", "nosuch:x")]
    [InlineData("BEL storage postgres:<connection string>: the connection string is not valid: Couldn't set nosuchkey.", "status", "--bel", "postgres:nosuchkey=1")]
    public void A_bad_option_is_one_plain_sentence_and_exit_code_2(string expected, params string[] args)
    {
        AssertPlainBadInput(_graph.Run(args), expected);
    }

    [Theory]
    [InlineData("build", "t/1")]
    [InlineData("execute", "jobgraph.json")]
    [InlineData("backfill", "t/{1..3}")]
    public void An_unknown_executor_is_refused_the_same_way_by_every_command_that_builds(params string[] args)
    {
        var result = _graph.Run([.. args, "--executor", "kubernetes"]);

        AssertPlainBadInput(result, "Argument 'kubernetes' not recognized. Must be one of:");
        Assert.Contains("'local'", result.Stderr);
        Assert.Contains("'slurm'", result.Stderr);
        Assert.False(File.Exists(Path.Combine(_graph.Folder, "runs.log")), "nothing ran");
    }

    [Fact]
    public void A_damaged_JSON_lines_log_names_the_file_and_line_without_the_parser_position()
    {
        File.WriteAllText(Path.Combine(_graph.Folder, "bel.jsonl"), "garbage\n");

        var result = _graph.Run("status", "--bel", "file:bel.jsonl");

        AssertPlainBadInput(result, "bel.jsonl' line 1: not a DataBuild BEL record ('g' is an invalid start of a value.)");
    }

    [Fact]
    public void A_manifest_field_of_the_wrong_type_names_the_field_and_the_type_in_words()
    {
        _graph.WriteGraph(("t", [_graph.WriteJob("t")], ["t/{x}"], new JsonObject { ["retries"] = "2", ["timeoutSeconds"] = null, ["maxConcurrency"] = 1.5 }));

        var result = _graph.Run("build", "t/1");

        AssertPlainBadInput(result, "job 't' ($.jobs[0].retries): must be a whole number, got the string \"2\"");
        Assert.Contains("job 't' ($.jobs[0].timeoutSeconds): must be a whole number, got null", result.Stderr);
        Assert.Contains("job 't' ($.jobs[0].maxConcurrency): must be a whole number, got 1.5", result.Stderr);
    }

    [Fact]
    public void A_manifest_that_cannot_be_read_is_bad_input_naming_the_file()
    {
        var result = _graph.Run("--graph", "/proc/self/mem", "status");

        AssertPlainBadInput(result, "graph manifest /proc/self/mem has 1 problem:");
        Assert.Contains("the file cannot be read: Input/output error", result.Stderr);
    }

    [Fact]
    public void A_log_that_cannot_be_opened_shows_no_stack_trace()
    {
        Directory.CreateDirectory(Path.Combine(_graph.Folder, "not-a-file"));

        var result = _graph.Run("status", "--bel", "sqlite:not-a-file");

        Assert.NotEqual(0, result.ExitCode);
        AssertNoInternals(result.Stderr);
    }

    [Fact]
    public void An_unexpected_error_is_one_line_unless_its_trace_is_asked_for()
    {
        Exception error;
        try
        {
            throw new InvalidOperationException("the thing broke");
        }
        catch (InvalidOperationException e)
        {
            error = e;
        }

        var plain = UserMessages.Unexpected(error, trace: false);
        var traced = UserMessages.Unexpected(error, trace: true);

        Assert.StartsWith("databuild: unexpected error: the thing broke", plain);
        Assert.Contains("DATABUILD_TRACE=1", plain);
        AssertNoInternals(plain);
        Assert.Contains("   at ", traced);
    }

    [Fact]
    public void Runtime_details_quoted_in_a_message_are_left_out()
    {
        var inner = new ArgumentOutOfRangeException("sinceIndex", -1, "sinceIndex must be non-negative");

        Assert.Equal("sinceIndex must be non-negative", UserMessages.Of(inner));
        Assert.Equal("bad uri: Couldn't set x.", UserMessages.Of(new ArgumentException($"bad uri: {new ArgumentException("Couldn't set x", "x").Message}.", "uri")));
    }

    private static void AssertPlainBadInput(ProcessResult result, string expected)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr);
        AssertNoInternals(result.Stderr);
    }

    private static void AssertNoInternals(string stderr)
    {
        Assert.DoesNotContain("System.", stderr);
        Assert.DoesNotContain("Parameter '", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Actual value was", stderr);
        Assert.DoesNotContain("LineNumber:", stderr);
        Assert.DoesNotContain("`1", stderr);
    }
}
