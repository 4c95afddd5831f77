using System.Globalization;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Refs;

/// <summary>Ranges and sets in requested refs: dates, numbers, sets, cross products, and the errors.</summary>
public sealed class RefExpansionTests
{
    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public void Date_ranges_step_one_calendar_day_across_month_year_and_leap_year_ends()
    {
        var random = new Random(21);
        for (var i = 0; i < 2000; i++)
        {
            var start = new DateOnly(1999, 12, 1).AddDays(random.Next(0, 33 * 366));
            // Often short, so that month ends and 28 or 29 February fall inside and at either end.
            var length = random.Next(3) == 0 ? random.Next(0, 800) : random.Next(0, 5);
            var end = start.AddDays(length);
            var template = $"d/date={{{start:yyyy-MM-dd}..{end:yyyy-MM-dd}}}";

            var refs = RefExpansion.Expand(template);

            Assert.Equal(length + 1, refs.Count);
            for (var k = 0; k < refs.Count; k++) Assert.Equal($"d/date={start.AddDays(k):yyyy-MM-dd}", refs[k]);
        }
    }

    [Theory]
    [InlineData("2020-02-27..2020-03-01", "2020-02-27 2020-02-28 2020-02-29 2020-03-01")]
    [InlineData("2019-02-27..2019-03-01", "2019-02-27 2019-02-28 2019-03-01")]
    [InlineData("1900-02-28..1900-03-01", "1900-02-28 1900-03-01")]
    [InlineData("2000-02-28..2000-03-01", "2000-02-28 2000-02-29 2000-03-01")]
    [InlineData("2020-12-30..2021-01-02", "2020-12-30 2020-12-31 2021-01-01 2021-01-02")]
    [InlineData("2020-01-25..2020-01-25", "2020-01-25")]
    public void Date_ranges_know_the_calendar(string range, string expected) =>
        Assert.Equal(expected.Split(' ').Select(d => $"x/{d}"), RefExpansion.Expand($"x/{{{range}}}"));

    [Fact]
    public void February_29th_exists_only_in_leap_years()
    {
        for (var year = 1896; year <= 2104; year++)
        {
            var problem = RefExpansion.Problem($"x/{{{year}-02-29..{year}-03-01}}");
            Assert.Equal(DateTime.IsLeapYear(year), problem is null);
            if (problem is not null) Assert.Contains($"'{year}-02-29' is not a date of the calendar", problem);
        }
    }

    [Theory]
    [InlineData("{1..5}", "1 2 3 4 5")]
    [InlineData("{8..11}", "8 9 10 11")]
    [InlineData("{01..03}", "01 02 03")]
    [InlineData("{08..11}", "08 09 10 11")]
    [InlineData("{1..003}", "001 002 003")]
    [InlineData("{0..2}", "0 1 2")]
    [InlineData("{007..7}", "007")]
    public void Number_ranges_keep_the_padding_written(string group, string expected) =>
        Assert.Equal(expected.Split(' ').Select(n => $"n={n}"), RefExpansion.Expand($"n={group}"));

    [Fact]
    public void Padded_number_ranges_have_one_width_and_count_every_value()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var start = random.Next(0, 5000);
            var end = start + random.Next(0, 300);
            var endText = end.ToString(CultureInfo.InvariantCulture);
            var startText = start.ToString(CultureInfo.InvariantCulture).PadLeft(endText.Length + random.Next(0, 3) - random.Next(0, 2), '0');
            var padded = startText.Length > 1 && startText[0] == '0';
            var refs = RefExpansion.Expand($"n={{{startText}..{endText}}}");
            Assert.Equal(end - start + 1, refs.Count);
            if (padded) Assert.All(refs, r => Assert.Equal(2 + Math.Max(startText.Length, endText.Length), r.Length));
            else Assert.All(refs, r => Assert.True(r.Length == 3 || r[2] != '0', r));
            Assert.Equal(Enumerable.Range(start, end - start + 1), refs.Select(r => int.Parse(r[2..], CultureInfo.InvariantCulture)));
        }
    }

    [Fact]
    public void Several_groups_give_the_cross_product_leftmost_slowest()
    {
        var refs = RefExpansion.Expand("daily/category={comedy,news}/date={2020-01-31..2020-02-01}/h={01..02}");

        Assert.Equal(
        [
            "daily/category=comedy/date=2020-01-31/h=01", "daily/category=comedy/date=2020-01-31/h=02",
            "daily/category=comedy/date=2020-02-01/h=01", "daily/category=comedy/date=2020-02-01/h=02",
            "daily/category=news/date=2020-01-31/h=01", "daily/category=news/date=2020-01-31/h=02",
            "daily/category=news/date=2020-02-01/h=01", "daily/category=news/date=2020-02-01/h=02",
        ], refs);
    }

    [Fact]
    public void Cross_products_of_random_sets_have_every_combination_once()
    {
        var random = new Random(3);
        for (var i = 0; i < 200; i++)
        {
            var groups = Enumerable.Range(0, random.Next(1, 4)).Select(g => Enumerable.Range(0, random.Next(1, 5)).Select(v => $"v{g}{v}").ToArray()).ToArray();
            var template = string.Join('/', groups.Select(g => g.Length == 1 ? g[0] : "{" + string.Join(',', g) + "}"));
            var refs = RefExpansion.Expand(template);
            Assert.Equal(groups.Aggregate(1, (n, g) => n * g.Length), refs.Count);
            Assert.Equal(refs.Count, refs.Distinct().Count());
            Assert.All(refs, r => Assert.True(r.Split('/').Select((part, k) => groups[k].Contains(part)).All(b => b)));
        }
    }

    [Fact]
    public void Text_without_a_range_or_set_is_literal()
    {
        Assert.Equal(["a/{date}/b"], RefExpansion.Expand("a/{date}/b"));
        Assert.Equal(["a/x.y"], RefExpansion.Expand("a/x.y"));
        Assert.False(RefExpansion.HasGroups("a/{date}"));
        Assert.True(RefExpansion.HasGroups("a/{1..2}"));
    }

    [Theory]
    [InlineData("x/{2020-02-30..2020-03-01}", "'2020-02-30' is not a date of the calendar")]
    [InlineData("x/{2020-03-01..2020-02-01}", "ends at 2020-02-01, before it starts")]
    [InlineData("x/{5..1}", "ends at 1, below where it starts")]
    [InlineData("x/{a,,b}", "has an empty item")]
    [InlineData("x/{a,b,a}", "names 'a' twice")]
    [InlineData("x/{a,1..2}", "mixes ',' and '..'")]
    [InlineData("x/{1..2..3}", "a range is {start..end}")]
    [InlineData("x/{..3}", "a range is {start..end}")]
    [InlineData("x/{a..z}", "'a' is neither a whole number")]
    [InlineData("x/{1..2", "never closed")]
    [InlineData("x/{a,{b,c}}", "groups do not nest")]
    [InlineData("x/{0..1000000}", "over the limit of 1,000,000")]
    [InlineData("x/{0..999}/{0..9999}", "more than 1,000,000 partitions")]
    public void A_malformed_range_or_set_is_an_error_naming_the_template_and_why(string template, string expected)
    {
        var e = Assert.Throws<InvalidRefTemplateException>(() => RefExpansion.Expand(template));
        Assert.Contains(expected, e.Message);
        Assert.Contains(template, e.Message);
    }

    [Fact]
    public void Expansions_that_make_invalid_refs_are_refused_by_the_ref_grammar()
    {
        Assert.Throws<InvalidPartitionRefException>(() => RefExpansion.Expand("{-a,b}/x"));
        Assert.Contains("must not start with '-'", RefExpansion.Problem("{-a,b}/x"));
        Assert.Contains("'.' or '..' segment", RefExpansion.Problem("x/{.,b}"));
    }

    [Fact]
    public void The_limit_counts_every_template_of_a_request_and_refs_come_once()
    {
        Assert.Equal(["a/1", "a/2", "a/3"], RefExpansion.ExpandAll(["a/{1..2}", "a/{2..3}"]));
        var e = Assert.Throws<InvalidRefTemplateException>(() => RefExpansion.ExpandAll(["a/{1..600000}", "b/{1..600000}"]));
        Assert.Contains("1,200,000 partitions, over the limit", e.Message);
        Assert.Equal(RefExpansion.MaxRefs, RefTemplate.Parse("a/{1..1000}/{1..1000}").Count);
    }

    [Fact]
    public void A_ref_holding_a_range_or_set_is_not_a_valid_ref()
    {
        Assert.Contains("must not contain a range or set", PartitionRefs.Problem("a/{1..2}"));
        Assert.Contains("must not contain a range or set", PartitionRefs.Problem("a/{x,y}"));
        Assert.Null(PartitionRefs.Problem("a/{x}"));
        Assert.Null(PartitionRefs.Problem("a/x..y,z"));
    }
}
