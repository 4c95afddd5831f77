using DataBuild.Execution;
using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Refs;

/// <summary>
/// Refs that would collide with the job contract: ';' joins DATABUILD_OUTPUTS, a leading '-' is an option on a
/// job's command line, and one text in two Unicode spellings would be two partitions.
/// </summary>
public class ContractCollisionTests
{
    [Theory]
    [InlineData("a;b", "must not contain ';' (position 1)")]
    [InlineData("reviews/date=2020;01", "must not contain ';' (position 17)")]
    [InlineData("-rf", "must not start with '-' (position 0)")]
    [InlineData("--help", "must not start with '-' (position 0)")]
    public void A_ref_that_would_be_read_as_two_refs_or_an_option_is_refused_naming_the_character_and_its_position(string value, string expected)
    {
        var error = Assert.Throws<InvalidPartitionRefException>(() => PartitionRefs.Validate(value));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_dash_inside_a_ref_is_still_allowed()
    {
        Assert.True(PartitionRefs.IsValid("reviews/date=2020-01-01"));
        Assert.True(PartitionRefs.IsValid("a/-b"));
    }

    [Fact]
    public void Only_the_NFC_spelling_of_a_Unicode_ref_is_accepted()
    {
        // Spelt out: in invariant globalization mode string.Normalize leaves non-ASCII text alone.
        var nfc = "caf\u00e9/\uD55C\uAE00/\u00C5";
        var nfd = "cafe\u0301/\u1112\u1161\u11AB\u1100\u1173\u11AF/A\u030A";

        Assert.True(PartitionRefs.IsValid(nfc));
        Assert.Contains("Unicode normalization form C (NFC): the character at position 4", PartitionRefs.Problem(nfd));
        Assert.Contains("position 0", PartitionRefs.Problem("\u212B"));
        Assert.Contains("position 4", PartitionRefs.Problem("ok/\u1112\u1161"));
        Assert.Contains("position 4", PartitionRefs.Problem("ok/\uD558\u11AB"));
        Assert.True(PartitionRefs.IsValid("\u0915\u094D\u0937/\uD83D\uDE00/\u1EB9\u0301"));
    }

    [Fact]
    public void Every_decomposed_spelling_of_a_composable_pair_is_found()
    {
        foreach (var pair in UnicodeNfcTables.Compositions)
        {
            var first = char.ConvertFromUtf32((int)(pair >> 21));
            var text = "x" + first + char.ConvertFromUtf32((int)(pair & 0x1FFFFF));
            Assert.Equal(1 + first.Length, UnicodeNfc.FirstNotNfc(text));
        }
    }

    [Theory]
    [InlineData("a;b/{x}", "';' at position 1")]
    [InlineData("-{x}", "must not start with '-' (position 0)")]
    [InlineData("cafe\u0301/{x}", "position 4 is not in Unicode normalization form C (NFC)")]
    public void A_pattern_that_could_only_match_such_refs_is_refused(string text, string expected)
    {
        Assert.False(PartitionPattern.TryParse(text, out _, out var problem));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void A_manifest_pattern_with_a_semicolon_is_a_load_error_naming_the_job()
    {
        var folder = Path.Combine(Path.GetTempPath(), "databuild-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "graph.json"),
                """{ "label": "g", "jobs": [ { "label": "a", "command": ["bash"], "outputs": ["a/{x};b/{x}"] } ] }""");

            var problem = Assert.Single(Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder)).Problems);

            Assert.Equal(("a", GraphManifestProblemKind.InvalidPattern), (problem.Job, problem.Kind));
            Assert.Contains("';' at position 5", problem.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("""{"configs":[{"outputs":[{"str":"a/1"}],"inputs":[{"depType":"MATERIALIZE","partitionRef":{"str":"-rf"}}]}]}""", "config #1 input '-rf'", "start with '-'")]
    [InlineData("""{"configs":[{"outputs":[{"str":"a/1"},{"str":"a/2;a/3"}]}]}""", "config #1 output 'a/2;a/3'", "';' (position 3)")]
    public void Refs_a_configure_returns_follow_the_same_grammar(string stdout, string what, string rule)
    {
        var error = Assert.Throws<JobContractException>(() => JobContract.ParseConfigureOutput("a", ["a/1"], stdout));

        Assert.Contains(what, error.Message);
        Assert.Contains(rule, error.Message);
    }

    [Fact]
    public void Refs_a_job_reports_missing_follow_the_same_grammar()
    {
        var line = JobContract.MissingDepsPrefix + """ {"missingDeps":[{"impacted":[{"str":"a/1"}],"missing":[{"str":"-x"}]}]}""";

        var error = Assert.Throws<JobContractException>(() => JobContract.ParseMissingDeps("a", [line]));

        Assert.Contains("missing dependency '-x'", error.Message);
    }
}
