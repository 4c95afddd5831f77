using DataBuild.Events.Storage;
using DataBuild.Proto;

namespace DataBuild.Core.Tests.Events;

/// <summary>The rules the SQLite and PostgreSQL backends share, so both select the same events and version logs alike.</summary>
public sealed class SqlRulesTests
{
    [Fact]
    public void A_filter_becomes_one_condition_per_constrained_field_in_a_fixed_order_with_each_value_once()
    {
        var filter = new EventFilter { WantIds = { "w" }, JobLabels = { "b", "a", "b" }, PartitionRefs = { "r/1" } };

        var conditions = SqlEventFilter.ValueConditions(filter);

        Assert.Equal(["job_label", "ref", "want_id"], conditions.Select(c => c.Column));
        Assert.Equal(["b", "a"], conditions[0].Values);
        Assert.Equal([false, true, true], conditions.Select(c => c.InSideTable));
    }

    [Theory]
    [InlineData("reviews/", "reviews0")]
    [InlineData("a\U0010FFFF", "b")]
    [InlineData("a\uD7FF", "a\uE000")]
    public void A_prefix_range_ends_at_the_smallest_string_above_every_ref_with_the_prefix(string prefix, string bound)
    {
        var parameters = new List<string>();

        var terms = SqlEventFilter.PrefixRange("ref", prefix, value => { parameters.Add(value); return $"${parameters.Count}"; });

        Assert.Equal(["ref >= $1", "ref < $2"], terms);
        Assert.Equal([prefix, bound], parameters);
        Assert.Empty(SqlEventFilter.PrefixRange("ref", "", _ => throw new InvalidOperationException("no parameter for an empty prefix")));
        Assert.Null(SqlEventFilter.PrefixUpperBound("\U0010FFFF"));
    }

    [Fact]
    public void Schema_steps_are_numbered_from_one_and_a_log_newer_than_the_newest_is_refused_naming_both_versions()
    {
        SqlSchemaStep[] steps = [new(1, "CREATE TABLE a (x int)"), new(2, "ALTER TABLE a ADD y int")];

        Assert.Equal(2, SqlSchemaStep.Newest(steps));
        Assert.Equal([2], SqlSchemaStep.Pending(steps, applied: 1).Select(s => s.Version));
        Assert.Throws<ArgumentException>(() => SqlSchemaStep.Newest([new(2, "")]));
        var refusal = SqlSchemaStep.WrittenByNewer("'bel.sqlite'", 3, 2);
        Assert.Equal("'bel.sqlite' was written by a newer DataBuild (BEL schema version 3); this version reads up to 2. Upgrade DataBuild to read it.", refusal.Message);
    }
}
