using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Views;

namespace DataBuild.Core.Tests.Views;

/// <summary>The catalog's staleness rules and recorded upstreams (docs/concepts.md#staleness), fed events directly.</summary>
public class StalenessTests
{
    private readonly JobRunsView _runs = new();
    private readonly PartitionCatalog _catalog;
    private long _index;

    public StalenessTests() => _catalog = new PartitionCatalog(_runs);

    private void Apply(BuildEvent e)
    {
        var stored = new StoredEvent { Index = ++_index, Event = e };
        _runs.Apply(stored);
        _catalog.Apply(stored);
    }

    private void Built(string job, string output, string codeKey, string version = "", params string[] inputs)
    {
        var run = $"run-{_index}";
        var config = new JobConfig { Outputs = { new PartitionRef { Str = output } } };
        config.Inputs.AddRange(inputs.Select(i => new DataDep { DepType = DepType.Materialize, PartitionRef = new PartitionRef { Str = i } }));
        Apply(new BuildEvent
        {
            BuildRequestId = "r",
            JobEvent = new JobEvent
            {
                JobRunId = run, JobLabel = new JobLabel { Label = job }, Status = JobStatus.JobScheduled, Config = config, CodeKey = codeKey, JobVersion = version,
            },
        });
        Apply(new BuildEvent { BuildRequestId = "r", JobEvent = new JobEvent { JobRunId = run, JobLabel = new JobLabel { Label = job }, Status = JobStatus.JobCompleted } });
        Apply(new BuildEvent
        {
            BuildRequestId = "r",
            PartitionEvent = new PartitionEvent { PartitionRef = new PartitionRef { Str = output }, Status = PartitionStatus.PartitionAvailable, JobRunId = run },
        });
    }

    [Fact]
    public void A_chain_100000_deep_is_judged_without_overflowing_the_stack_and_names_the_changed_code()
    {
        const int depth = 100_000;
        Built("root", "n/0", "k1");
        for (var i = 1; i < depth; i++) Built("step", $"n/{i}", "s1", "", $"n/{i - 1}");
        var jobs = new Dictionary<string, JobIdentity> { ["root"] = new("", "k2"), ["step"] = new("", "s1") };

        var top = _catalog.Get($"n/{depth - 1}", jobs)!;

        Assert.Equal(PartitionStatus.PartitionStale, top.Status);
        Assert.Equal($"upstream n/{depth - 2} is stale", top.StaleReason);
        Assert.Equal("code of job root changed", _catalog.Get("n/0", jobs)!.StaleReason);
        Assert.Equal(depth, _catalog.Query([], jobs).Count(p => p.Status == PartitionStatus.PartitionStale));
        Assert.Equal(PartitionStatus.PartitionAvailable,
            _catalog.Get($"n/{depth - 1}", new Dictionary<string, JobIdentity> { ["root"] = new("", "k1"), ["step"] = new("", "s1") })!.Status);
    }

    [Fact]
    public void A_code_change_under_the_same_major_version_keeps_the_partition_and_says_so()
    {
        Built("totals", "totals/mon", "k1", "1.2");

        var kept = _catalog.Get("totals/mon", new Dictionary<string, JobIdentity> { ["totals"] = new("1.3", "k2") })!;
        Assert.Equal(PartitionStatus.PartitionAvailable, kept.Status);
        Assert.Equal("code of job totals changed, compatible under version 1.3 (major 1 kept)", kept.CompatibleChange);

        var stale = _catalog.Get("totals/mon", new Dictionary<string, JobIdentity> { ["totals"] = new("2", "k1") })!;
        Assert.Equal("job version 1.2 → 2", stale.StaleReason);
    }

    [Fact]
    public void An_upstream_rebuilt_after_it_makes_it_stale_and_a_run_without_a_code_key_is_not_judged_by_code()
    {
        Built("sales", "sales/mon", "");
        Built("totals", "totals/mon", "t1", "", "sales/mon");
        var jobs = new Dictionary<string, JobIdentity> { ["sales"] = new("", "s9"), ["totals"] = new("", "t1") };
        Assert.Equal(PartitionStatus.PartitionAvailable, _catalog.Get("totals/mon", jobs)!.Status);

        Built("sales", "sales/mon", "s9");
        Assert.Equal("upstream sales/mon was rebuilt", _catalog.Get("totals/mon", jobs)!.StaleReason);
    }

    [Fact]
    public void The_recorded_upstream_closure_of_a_chain_100000_deep_is_every_partition_below_it()
    {
        const int depth = 100_000;
        Built("root", "n/0", "k1");
        for (var i = 1; i < depth; i++) Built("step", $"n/{i}", "s1", "", $"n/{i - 1}");
        Built("sum", "sum/all", "t1", "", "n/3", "n/1");

        var seen = new HashSet<string> { $"n/{depth - 1}" };
        var closure = _catalog.UpstreamClosure([$"n/{depth - 1}"], seen);

        Assert.Equal(depth - 1, closure.Count);
        Assert.Equal(depth - 1, closure.Distinct().Count());
        Assert.Contains("n/0", closure);
        Assert.DoesNotContain($"n/{depth - 1}", closure);
        Assert.Equal(["n/0", "n/1", "n/2", "n/3"], Closure("sum/all").Order(StringComparer.Ordinal));
        Assert.Empty(Closure("n/0"));
        Assert.Empty(Closure("never/built"));
        // What an earlier call reached is neither listed nor walked again.
        seen.Add("sum/all");
        Assert.Empty(_catalog.UpstreamClosure(["sum/all"], seen));
    }

    private List<string> Closure(params string[] partitionRefs) => _catalog.UpstreamClosure(partitionRefs, [.. partitionRefs]);

    [Fact]
    public void A_deleted_location_100000_partitions_upstream_is_found_under_a_present_partition()
    {
        const int depth = 100_000;
        using var folder = new TempFolder();
        folder.Write("data/a", "x");
        var located = new JobDefinition("root", ["bash"], [PartitionPattern.Parse("src/{k}")]) { Locations = ["data/{k}"] };
        var graph = new GraphManifest("g", [located, new JobDefinition("step", ["bash"], [PartitionPattern.Parse("n/{i}")])], folder.Path);
        Built("root", "src/a", "k1");
        Built("step", "n/0", "s1", "", "src/a");
        for (var i = 1; i < depth; i++) Built("step", $"n/{i}", "s1", "", $"n/{i - 1}");
        var top = $"n/{depth - 1}";

        var present = new OutputPresence(graph, new GraphLookup(graph), _catalog);
        present.Check([top]);
        Assert.Null(present.MissingUpstream(top));

        File.Delete(Path.Combine(folder.Path, "data/a"));
        var deleted = new OutputPresence(graph, new GraphLookup(graph), _catalog);
        deleted.Check([top]);
        Assert.Null(deleted.Missing(top));
        Assert.Equal("src/a", deleted.MissingUpstream(top));
        Assert.Equal("src/a", deleted.MissingUpstream("n/0"));
        Assert.Null(deleted.MissingUpstream("src/a"));
        Assert.Null(new OutputPresence(graph, new GraphLookup(graph)).MissingUpstream(top));
    }
}
