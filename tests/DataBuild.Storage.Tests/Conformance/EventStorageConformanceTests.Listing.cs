using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Storage.Tests;

/// <summary>What every backend must do when listing: filters served by its indexes, exactly as the in-memory matcher decides, and paging.</summary>
public abstract partial class EventStorageConformanceTests
{
    public static TheoryData<string> FilterCaseNames => new(FilterCases.Keys);

    [Theory]
    [MemberData(nameof(FilterCaseNames), MemberType = typeof(EventStorageConformanceTests))]
    public void A_filter_lists_exactly_the_events_it_matches(string name)
    {
        var (filter, expectedIds) = FilterCases[name];
        using var storage = Open();
        var corpus = FilterCorpus();
        storage.Append(corpus);

        var found = ReadAll(storage, filter, limit: 2);

        Assert.Equal(expectedIds, found.Select(e => e.Event.EventId));
        Assert.Equal(corpus.Where(e => EventFilterMatcher.Matches(filter, e)).Select(e => e.EventId), expectedIds);
    }

    [Fact]
    public void Random_filters_list_what_the_in_memory_matcher_matches()
    {
        using var storage = Open();
        var corpus = FilterCorpus();
        storage.Append(corpus);
        var random = new Random(20240601);
        var refs = corpus.SelectMany(e => EventKeys.Of(e).PartitionRefs).Distinct().ToArray();
        string[] patterns = ["reviews/*", "reviews/**", "**", "*/date=2020-01-01", "summaries/category={c}/**", "**/date=2020-01-0*", "nothing/**"];
        string[] labels = ["extract_reviews", "summarize", "other"];
        string[] runs = ["run-1", "run-2", "run-9"];
        string[] requests = ["br-1", "br-2", "br-9"];
        string[] wants = ["want-a", "want-b", "want-z"];

        for (var i = 0; i < 150; i++)
        {
            var filter = new EventFilter();
            if (random.Next(3) == 0) filter.PartitionRefs.Add(Pick(random, refs));
            if (random.Next(3) == 0) filter.PartitionPatterns.Add(Pick(random, patterns));
            if (random.Next(4) == 0) filter.JobLabels.Add(Pick(random, labels));
            if (random.Next(4) == 0) filter.JobRunIds.Add(Pick(random, runs));
            if (random.Next(3) == 0) filter.BuildRequestIds.Add(Pick(random, requests));
            if (random.Next(4) == 0) filter.WantIds.Add(Pick(random, wants));

            var expected = corpus.Where(e => EventFilterMatcher.Matches(filter, e)).Select(e => e.EventId);
            Assert.Equal(expected, ReadAll(storage, filter, limit: 1 + random.Next(4)).Select(e => e.Event.EventId));
        }
    }

    [Fact]
    public void Globs_with_non_ascii_literal_prefixes_find_exactly_their_matches()
    {
        using var storage = Open();
        string[] refs = ["café/a", "café/b/c", "cafè/a", "cafd/a", "cafê", "日本/x", "日本語/y", "日本"];
        storage.Append(refs.Select((r, i) => TestEvents.Partition($"e{i}", r)).ToList());

        string[] Find(string pattern) =>
            ReadAll(storage, new EventFilter { PartitionPatterns = { pattern } }).Select(e => e.Event.PartitionEvent.PartitionRef.Str).ToArray();

        Assert.Equal(["café/a"], Find("café/*"));
        Assert.Equal(["café/a", "café/b/c"], Find("café/**"));
        Assert.Equal(["café/a", "cafè/a", "cafd/a"], Find("caf*/a"));
        Assert.Equal(["日本/x"], Find("日本/**"));
        Assert.Equal(["日本/x", "日本語/y", "日本"], Find("日本**"));
    }

    [Fact]
    public void A_glob_matching_thousands_of_events_pages_through_them_once_in_order()
    {
        using var storage = Open();
        var events = Enumerable.Range(0, 1800).Select(i => TestEvents.Partition($"e{i}", i % 3 == 0 ? $"other/n={i}" : $"wide/n={i}/part={i % 7}")).ToList();
        foreach (var batch in events.Chunk(600)) storage.Append(batch);
        var filter = new EventFilter { PartitionPatterns = { "wide/*/part=3" } };

        var found = ReadAll(storage, filter, limit: 40);

        Assert.Equal(events.Where(e => EventFilterMatcher.Matches(filter, e)).Select(e => e.EventId), found.Select(e => e.Event.EventId));
        Assert.Equal(Enumerable.Range(0, 1800).Count(i => i % 3 != 0 && i % 7 == 3), found.Count);
    }

    [Fact]
    public void Paging_with_since_and_limit_returns_every_event_once_in_order()
    {
        using var storage = Open();
        var events = Enumerable.Range(0, 40).Select(i => TestEvents.Partition($"e{i}", $"data/n={i}", buildRequestId: i % 3 == 0 ? "br-3" : "br-x")).ToList();
        foreach (var batch in events.Chunk(7)) storage.Append(batch);

        foreach (var limit in new[] { 1, 3, 7, 40, 100 })
        {
            Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), ReadAll(storage, new EventFilter(), limit).Select(e => e.Index));
            var everyThird = ReadAll(storage, new EventFilter { BuildRequestIds = { "br-3" } }, limit);
            Assert.Equal(Enumerable.Range(0, 40).Where(i => i % 3 == 0).Select(i => $"e{i}"), everyThird.Select(e => e.Event.EventId));
        }
    }

    [Fact]
    public void A_full_page_says_there_may_be_more_and_continues_after_its_last_event()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(5));

        var page = storage.List(1, new EventFilter(), 2);

        Assert.Equal([2L, 3], page.Events.Select(e => e.Index));
        Assert.True(page.HasMore);
        Assert.Equal(3, page.NextSinceIndex);
    }

    [Fact]
    public void A_short_page_continues_after_the_last_committed_event_even_when_it_did_not_match()
    {
        using var storage = Open();
        storage.Append([TestEvents.Partition("mine", "data/a", "br-mine"), TestEvents.Partition("other1", "data/b", "br-other"), TestEvents.Partition("other2", "data/c", "br-other")]);
        var mine = new EventFilter { BuildRequestIds = { "br-mine" } };

        var page = storage.List(0, mine, 10);

        Assert.Equal(["mine"], page.Events.Select(e => e.Event.EventId));
        Assert.False(page.HasMore);
        Assert.Equal(3, page.NextSinceIndex);

        storage.Append([TestEvents.Partition("mine2", "data/d", "br-mine")]);
        var next = storage.List(page.NextSinceIndex, mine, 10);
        Assert.Equal([4L], next.Events.Select(e => e.Index));
        Assert.Equal(4, next.NextSinceIndex);
    }

    [Fact]
    public void Listing_at_or_past_the_end_returns_nothing_and_keeps_the_cursor()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(2));

        var atEnd = storage.List(2, new EventFilter(), 10);
        var pastEnd = storage.List(10, new EventFilter(), 10);

        Assert.Empty(atEnd.Events);
        Assert.Equal(2, atEnd.NextSinceIndex);
        Assert.False(atEnd.HasMore);
        Assert.Empty(pastEnd.Events);
        Assert.Equal(10, pastEnd.NextSinceIndex);
    }

    [Fact]
    public void An_empty_log_lists_nothing()
    {
        using var storage = Open();

        var page = storage.List(0, new EventFilter { PartitionPatterns = { "**" } }, 10);

        Assert.Empty(page.Events);
        Assert.Equal(0, page.NextSinceIndex);
        Assert.False(page.HasMore);
    }

    [Fact]
    public void Bad_list_arguments_are_refused()
    {
        using var storage = Open();

        Assert.Throws<ArgumentOutOfRangeException>(() => storage.List(-1, new EventFilter(), 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => storage.List(0, new EventFilter(), 0));
        var error = Assert.Throws<InvalidPatternException>(() => storage.List(0, new EventFilter { PartitionPatterns = { "reviews//x" } }, 10));
        Assert.Contains("reviews//x", error.Message);
    }


    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    /// <summary>Events of every kind, touching refs, labels, runs, build requests and wants the filter cases pick from.</summary>
    private static List<BuildEvent> FilterCorpus() =>
    [
        TestEvents.Request("r1", "br-1", "reviews/date=2020-01-01", "reviews/date=2020-01-02"),
        TestEvents.Partition("p1", "reviews/date=2020-01-01", "br-1", jobRunId: "run-1"),
        TestEvents.Job("j1", "extract_reviews", "run-1", "br-1", "reviews/date=2020-01-01"),
        TestEvents.Job("j2", "summarize", "run-2", "br-2", "summaries/category=comedy/date=2020-01-01"),
        TestEvents.Partition("p2", "summaries/category=comedy/date=2020-01-01", "br-2", jobRunId: "run-2"),
        TestEvents.Delegation("d1", "reviews/date=2020-01-01", "run-1", "br-2"),
        TestEvents.Want("w1", "want-a", rootWantId: "want-a", partitions: "reviews/date=2020-01-03"),
        TestEvents.Want("w2", "want-b", parentWantId: "want-a", rootWantId: "want-a", partitions: "summaries/category=drama/date=2020-01-03"),
        TestEvents.Heartbeat("h1", "br-1"),
        TestEvents.Partition("p3", "reviews/date=2020-01-02/part=1", "br-1"),
    ];

    private static readonly Dictionary<string, (EventFilter Filter, string[] ExpectedIds)> FilterCases = new()
    {
        ["no constraint"] = (new EventFilter(), ["r1", "p1", "j1", "j2", "p2", "d1", "w1", "w2", "h1", "p3"]),
        ["one ref"] = (new EventFilter { PartitionRefs = { "reviews/date=2020-01-01" } }, ["r1", "p1", "j1", "d1"]),
        ["either of two refs"] = (new EventFilter { PartitionRefs = { "reviews/date=2020-01-03", "summaries/category=comedy/date=2020-01-01" } }, ["j2", "p2", "w1"]),
        ["unknown ref"] = (new EventFilter { PartitionRefs = { "reviews/date=1999-01-01" } }, []),
        ["star stays in its segment"] = (new EventFilter { PartitionPatterns = { "reviews/*" } }, ["r1", "p1", "j1", "d1", "w1"]),
        ["double star crosses segments"] = (new EventFilter { PartitionPatterns = { "reviews/**" } }, ["r1", "p1", "j1", "d1", "w1", "p3"]),
        ["star in the middle"] = (new EventFilter { PartitionPatterns = { "summaries/*/date=2020-01-01" } }, ["j2", "p2"]),
        ["leading double star"] = (new EventFilter { PartitionPatterns = { "**/date=2020-01-03" } }, ["w1", "w2"]),
        ["star inside a segment"] = (new EventFilter { PartitionPatterns = { "reviews/date=2020-01-0*" } }, ["r1", "p1", "j1", "d1", "w1"]),
        ["capture as a wildcard"] = (new EventFilter { PartitionPatterns = { "summaries/category={category}/date=2020-01-03" } }, ["w2"]),
        ["either of two patterns"] = (new EventFilter { PartitionPatterns = { "summaries/**", "reviews/date=2020-01-02/*" } }, ["j2", "p2", "w2", "p3"]),
        ["one job label"] = (new EventFilter { JobLabels = { "summarize" } }, ["j2"]),
        ["either of two job labels"] = (new EventFilter { JobLabels = { "extract_reviews", "summarize" } }, ["j1", "j2"]),
        ["job run on partition, job and delegation events"] = (new EventFilter { JobRunIds = { "run-1" } }, ["p1", "j1", "d1"]),
        ["one build request"] = (new EventFilter { BuildRequestIds = { "br-2" } }, ["j2", "p2", "d1"]),
        ["want id, parent or root"] = (new EventFilter { WantIds = { "want-a" } }, ["w1", "w2"]),
        ["want id only"] = (new EventFilter { WantIds = { "want-b" } }, ["w2"]),
        ["build request and job run"] = (new EventFilter { BuildRequestIds = { "br-1" }, JobRunIds = { "run-1" } }, ["p1", "j1"]),
        ["pattern and build request"] = (new EventFilter { PartitionPatterns = { "reviews/**" }, BuildRequestIds = { "br-2" } }, ["d1"]),
        ["ref and pattern"] = (new EventFilter { PartitionRefs = { "reviews/date=2020-01-01" }, PartitionPatterns = { "**/date=2020-01-01" } }, ["r1", "p1", "j1", "d1"]),
        ["job label and build request that never meet"] = (new EventFilter { JobLabels = { "extract_reviews" }, BuildRequestIds = { "br-2" } }, []),
        ["want and pattern"] = (new EventFilter { WantIds = { "want-a" }, PartitionPatterns = { "summaries/**" } }, ["w2"]),
    };
}
