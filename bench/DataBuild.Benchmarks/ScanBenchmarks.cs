using BenchmarkDotNet.Attributes;
using DataBuild.Proto;

namespace DataBuild.Benchmarks;

/// <summary>
/// Reading a log of 200,000 events through a filter, page by page as followers and the CLI do: one
/// partition, one job run, one job label (a tenth of the job events), a glob over a thirtieth of the
/// refs, and no filter (everything, which is what a reducer catching up reads).
/// </summary>
public class Scan
{
    private const int Events = 200_000;
    private const int PageSize = 1000;

    private ScratchLog _scratch = null!;
    private EventFilter _filter = null!;

    public static IEnumerable<string> Backends => ScratchLog.Backends();

    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "";

    [Params("partition", "job-run", "job-label", "glob", "none")]
    public string Filter { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _scratch = ScratchLog.Open(Backend);
        var stream = new EventStream();
        _scratch.Storage.Append(stream.Opening());
        for (var written = 0; written < Events; written += 1000) _scratch.Storage.Append(stream.Take(1000));
        const long run = 777;
        _filter = Filter switch
        {
            "partition" => new EventFilter { PartitionRefs = { stream.RefOf(run) } },
            "job-run" => new EventFilter { JobRunIds = { stream.RunId(run) } },
            "job-label" => new EventFilter { JobLabels = { stream.LabelOf(run) } },
            // Layer 3, parts whose number starts with 1: 1,111 of its 3,334.
            "glob" => new EventFilter { PartitionPatterns = { $"{stream.Tag}/layer=3/part=1*" } },
            "none" => new EventFilter(),
            _ => throw new ArgumentException($"unknown filter '{Filter}'"),
        };
    }

    [GlobalCleanup]
    public void Cleanup() => _scratch.Dispose();

    [Benchmark]
    public int ScanLog()
    {
        var matched = 0;
        long since = 0;
        while (true)
        {
            var page = _scratch.Storage.List(since, _filter, PageSize);
            matched += page.Events.Count;
            since = page.NextSinceIndex;
            if (!page.HasMore) return matched;
        }
    }
}
