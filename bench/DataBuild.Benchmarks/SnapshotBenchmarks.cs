using BenchmarkDotNet.Attributes;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;
using Google.Protobuf;

namespace DataBuild.Benchmarks;

/// <summary>
/// What opening a log costs with and without a snapshot (docs/event-log.md#snapshots), for a log of 30,000
/// events (about 5,000 job runs), already parsed: <see cref="FoldWholeLog"/> is every command's start before
/// snapshots, <see cref="OpenFromSnapshot"/> parses the snapshot's bytes and restores the views and the validator
/// from it (the tail is empty), <see cref="WriteSnapshot"/> captures and serialises one. Read the allocated bytes
/// per event of each side by side (MemoryDiagnoser).
/// </summary>
public class Snapshots
{
    private const int Events = 30_000;

    private InMemoryStorage _log = null!;
    private byte[] _snapshot = null!;
    private BuildEventLog _writer = null!;
    private BuildEventViews _views = null!;

    [GlobalSetup]
    public void Setup()
    {
        _log = InMemoryStorage.Of(new EventStream(), Events);
        _writer = new BuildEventLog(_log);
        _views = new BuildEventViews();
        _views.Refresh(_writer);
        _snapshot = ViewSnapshots.Capture(_writer, _views)!.ToByteArray();
    }

    [Benchmark(Baseline = true)]
    [Items(Events, "events")]
    public long FoldWholeLog()
    {
        var views = new BuildEventViews();
        views.Refresh(new BuildEventLog(_log));
        return views.Catalog.Count;
    }

    [Benchmark]
    [Items(Events, "events")]
    public long OpenFromSnapshot()
    {
        var log = new BuildEventLog(new InMemoryStorage(_log, _snapshot));
        var views = new BuildEventViews();
        views.Refresh(log);
        return views.Catalog.Count;
    }

    [Benchmark]
    [Items(Events, "events")]
    public int WriteSnapshot() => ViewSnapshots.Capture(_writer, _views)!.ToByteArray().Length;
}
