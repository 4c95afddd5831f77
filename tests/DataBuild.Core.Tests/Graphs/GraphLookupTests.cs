using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

public class GraphLookupTests
{
    private static readonly GraphLookup Podcasts = Lookup(
        ("extract_reviews", ["reviews/date={date}"]),
        ("categorize", ["categorized/category={category}/date={date}"]),
        ("daily_summaries", ["daily_summaries/category={category}/date={date}", "daily_summaries/all/date={date}"]),
        ("logs", ["logs/*/summary"]),
        ("exports", ["exports/**"]),
        ("static", ["static/podcasts"]));

    [Fact]
    public void A_match_carries_the_captures_of_its_pattern()
    {
        var match = Podcasts.Match("categorized/category=comedy/date=2020-01-01");

        Assert.Equal("categorize", match.Job.Label);
        Assert.Equal("categorized/category={category}/date={date}", match.Pattern.Text);
        Assert.Equal(new Dictionary<string, string> { ["category"] = "comedy", ["date"] = "2020-01-01" }, match.Captures);
    }

    [Fact]
    public void A_literal_pattern_matches_only_itself()
    {
        Assert.Equal("static", Podcasts.Match("static/podcasts").Job.Label);
        Assert.Empty(Podcasts.Match("static/podcasts").Captures);
        Assert.Equal(LookupProblemKind.NoJob, SingleProblem(() => Podcasts.Match("static/podcasts2")).Kind);
    }

    [Theory]
    [InlineData("logs/web/summary", true)]
    [InlineData("logs/web-1.2/summary", true)]
    [InlineData("logs/a/b/summary", false)]
    [InlineData("logs/summary", false)]
    public void A_star_matches_within_one_segment(string partitionRef, bool matches)
    {
        if (matches) Assert.Equal("logs", Podcasts.Match(partitionRef).Job.Label);
        else Assert.Equal(LookupProblemKind.NoJob, SingleProblem(() => Podcasts.Match(partitionRef)).Kind);
    }

    [Theory]
    [InlineData("exports/x")]
    [InlineData("exports/2020/01/01/part-0")]
    public void A_double_star_matches_across_segments(string partitionRef)
    {
        Assert.Equal("exports", Podcasts.Match(partitionRef).Job.Label);
    }

    [Fact]
    public void Refs_are_grouped_by_job_sorted_and_deduplicated()
    {
        var result = Podcasts.Lookup([
            "reviews/date=2020-01-02",
            "daily_summaries/category=comedy/date=2020-01-01",
            "reviews/date=2020-01-01",
            "reviews/date=2020-01-02",
            "daily_summaries/all/date=2020-01-01",
            "static/podcasts",
        ]);

        Assert.Equal(["daily_summaries", "extract_reviews", "static"], result.Jobs.Select(j => j.Job.Label));
        Assert.Equal(["daily_summaries/all/date=2020-01-01", "daily_summaries/category=comedy/date=2020-01-01"], result.Jobs[0].Refs);
        Assert.Equal(["reviews/date=2020-01-01", "reviews/date=2020-01-02"], result.Jobs[1].Refs);
        Assert.Equal(["static/podcasts"], result.Jobs[2].Refs);
    }

    [Fact]
    public void An_empty_request_gives_an_empty_result()
    {
        Assert.Empty(Podcasts.Lookup([]).Jobs);
    }

    [Fact]
    public void The_result_lists_each_job_once_in_label_order_with_its_refs()
    {
        var result = Podcasts.Lookup(["reviews/date=2020-01-01", "static/podcasts"]);

        Assert.Equal(["extract_reviews", "static"], result.Jobs.Select(j => j.Job.Label));
        Assert.Equal(["reviews/date=2020-01-01"], result.Jobs[0].Refs);
    }

    [Fact]
    public void A_ref_matched_by_two_jobs_names_the_ref_both_jobs_and_their_patterns()
    {
        var lookup = Lookup(("by_capture", ["tables/{table}"]), ("by_star", ["tables/*"]), ("unrelated", ["other/{x}"]));

        var problem = SingleProblem(() => lookup.Lookup(["tables/users"]));

        Assert.Equal(LookupProblemKind.AmbiguousJobs, problem.Kind);
        Assert.Equal("tables/users", problem.Ref);
        Assert.Equal(["by_capture", "by_star"], problem.Patterns.Select(p => p.Job.Label));
        Assert.Equal(["tables/{table}", "tables/*"], problem.Patterns.Select(p => p.Pattern.Text));
        Assert.Equal("'tables/users' is produced by more than one job: 'tables/{table}' of job 'by_capture', 'tables/*' of job 'by_star'; exactly one job must produce each partition", problem.Message);
    }

    [Fact]
    public void Ambiguity_is_found_between_patterns_with_different_literal_prefixes()
    {
        var lookup = Lookup(("broad", ["data/**"]), ("narrow", ["data/sales/date={date}"]));

        var problem = SingleProblem(() => lookup.Lookup(["data/sales/date=2020-01-01"]));

        Assert.Equal(LookupProblemKind.AmbiguousJobs, problem.Kind);
        Assert.Equal(["broad", "narrow"], problem.Patterns.Select(p => p.Job.Label));
        Assert.Equal("broad", lookup.Match("data/other").Job.Label);
    }

    [Fact]
    public void Two_patterns_of_one_job_matching_the_same_ref_are_not_ambiguous()
    {
        var lookup = Lookup(("one", ["data/**", "data/sales/{day}"]));

        var match = lookup.Match("data/sales/monday");

        Assert.Equal("one", match.Job.Label);
        Assert.Equal("data/sales/{day}", match.Pattern.Text);
        Assert.Equal("monday", match.Captures["day"]);
    }

    [Fact]
    public void A_ref_no_job_produces_is_named_with_the_closest_patterns()
    {
        var problem = SingleProblem(() => Podcasts.Lookup(["daily_summaries/categry=comedy/date=2020-01-01"]));

        Assert.Equal(LookupProblemKind.NoJob, problem.Kind);
        Assert.Equal("daily_summaries/categry=comedy/date=2020-01-01", problem.Ref);
        Assert.Equal(["daily_summaries/category={category}/date={date}", "daily_summaries/all/date={date}"], problem.Patterns.Select(p => p.Pattern.Text));
        Assert.StartsWith("no job produces 'daily_summaries/categry=comedy/date=2020-01-01': the closest patterns are 'daily_summaries/category={category}/date={date}' of job 'daily_summaries'", problem.Message);
    }

    [Fact]
    public void A_ref_that_starts_like_no_pattern_has_no_suggestion()
    {
        var problem = SingleProblem(() => Podcasts.Lookup(["zebra"]));

        Assert.Empty(problem.Patterns);
        Assert.Equal("no job produces 'zebra': no pattern even starts like it", problem.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/reviews/date=2020-01-01")]
    [InlineData("reviews//date=2020-01-01")]
    [InlineData("reviews/date=2020 01 01")]
    [InlineData("reviews/../secrets")]
    [InlineData("reviews/date=2020-01-01\n")]
    public void An_invalid_ref_is_refused_before_any_pattern_is_tried(string partitionRef)
    {
        var problem = SingleProblem(() => Podcasts.Lookup([partitionRef]));

        Assert.Equal(LookupProblemKind.InvalidRef, problem.Kind);
        Assert.Equal(partitionRef, problem.Ref);
        Assert.StartsWith("invalid partition ref", problem.Message);
        Assert.Equal(PartitionRefs.Problem(partitionRef), problem.Message[(problem.Message.IndexOf("': ", StringComparison.Ordinal) + 3)..]);
    }

    [Fact]
    public void Every_bad_ref_of_a_batch_is_reported_once_in_one_exception()
    {
        var lookup = Lookup(("a", ["x/{y}"]), ("b", ["x/*"]), ("c", ["good/{g}"]));

        var exception = Assert.Throws<LookupException>(() => lookup.Lookup(["good/1", "x/1", "nope", "bad//ref", "x/1", "good/2", "nope"]));

        Assert.Equal(
            [(LookupProblemKind.AmbiguousJobs, "x/1"), (LookupProblemKind.NoJob, "nope"), (LookupProblemKind.InvalidRef, "bad//ref")],
            exception.Problems.Select(p => (p.Kind, p.Ref)));
        Assert.StartsWith("3 partition refs cannot be looked up:", exception.Message);
        Assert.Contains("x/1", exception.Message);
        Assert.Contains("nope", exception.Message);
        Assert.Contains("bad//ref", exception.Message);
    }

    [Fact]
    public void The_message_of_a_huge_batch_of_bad_refs_stays_short()
    {
        var refs = Enumerable.Range(0, 1000).Select(i => $"unknown/{i}").ToArray();

        var exception = Assert.Throws<LookupException>(() => Podcasts.Lookup(refs));

        Assert.Equal(1000, exception.Problems.Count);
        Assert.Contains("… and 980 more", exception.Message);
        Assert.Equal(22, exception.Message.Split(Environment.NewLine).Length);
    }

    private static LookupProblem SingleProblem(Action lookup) => Assert.Single(Assert.Throws<LookupException>(lookup).Problems);

    private static GraphLookup Lookup(params (string Label, string[] Patterns)[] jobs) =>
        new(new GraphManifest("g", jobs.Select(j => new JobDefinition(j.Label, ["bash"], j.Patterns.Select(PartitionPattern.Parse)))));
}
