namespace DataBuild.Cli.Tests;

/// <summary>
/// Refs that would collide with the job contract are refused at every door of the CLI: the command line, a
/// want, a manifest's patterns and what a job's configure returns.
/// </summary>
public class RefGrammarTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public RefGrammarTests()
    {
        _graph.WriteGraph(("t", [_graph.WriteJob("t")], ["t/{x}"], null));
    }

    public void Dispose() => _graph.Dispose();

    [Theory]
    [InlineData("t/a;t/b", "must not contain ';' (position 3)")]
    [InlineData("-t", "must not start with '-' (position 0)")]
    [InlineData("t/cafe\u0301", "must be in Unicode normalization form C (NFC): the character at position 6")]
    public void Build_refuses_the_ref_with_exit_code_2_naming_the_character_and_its_position(string partitionRef, string expected)
    {
        var result = _graph.Run("build", "--", partitionRef);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(expected, result.Stderr);
        Assert.Empty(_graph.Configures());
    }

    [Fact]
    public void The_NFC_spelling_of_the_same_ref_is_built()
    {
        var result = _graph.Run("build", "t/caf\u00e9");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(_graph.Built("t/caf\u00e9"));
    }

    [Fact]
    public void A_want_for_such_a_ref_is_refused()
    {
        var result = _graph.Run("want", "--", "-t");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("must not start with '-' (position 0)", result.Stderr);
        Assert.Contains("No wants", _graph.Run("wants").Stdout);
    }

    [Fact]
    public void A_dependency_a_configure_returns_that_would_reach_a_job_as_an_option_fails_the_build_before_any_job_runs()
    {
        _graph.WriteGraph(
            ("t", [_graph.WriteJob("t", "echo -rf")], ["t/{x}"], null));

        var result = _graph.Run("build", "t/1");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("input '-rf' is not a valid partition ref: a partition ref must not start with '-' (position 0)", result.Stderr);
        Assert.Empty(_graph.Runs());
    }

    [Fact]
    public void A_manifest_pattern_with_a_semicolon_is_refused_at_load_naming_the_job()
    {
        _graph.WriteGraph(("t", [_graph.WriteJob("t")], ["t/{x};u/{x}"], null));

        var result = _graph.Run("status");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("job 't' ($.jobs[0].outputs[0]): invalid pattern 't/{x};u/{x}': ';' at position 5", result.Stderr);
    }

    [Fact]
    public void A_manifest_with_an_ambiguous_pattern_is_refused_at_load_naming_the_job_and_the_pattern()
    {
        _graph.WriteGraph(("t", [_graph.WriteJob("t")], ["t/{a}{b}"], null));

        var result = _graph.Run("build", "t/12");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("job 't' ($.jobs[0].outputs[0]): the pattern 't/{a}{b}' is ambiguous: '{a}' and '{b}' (position 5)", result.Stderr);
        Assert.Empty(_graph.Configures());
    }
}
