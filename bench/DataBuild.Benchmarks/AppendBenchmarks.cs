using BenchmarkDotNet.Attributes;
using DataBuild.Events;

namespace DataBuild.Benchmarks;

/// <summary>
/// Appending to the BEL in batches, straight to the storage and through the access layer (validation
/// under the write lock, as the engine appends). Each invocation makes its batch, so creating the events
/// is in the figure: <see cref="Events.CreateEvents"/> measures that part alone.
/// </summary>
public class Append
{
    private ScratchLog _scratch = null!;
    private BuildEventLog? _log;
    private EventStream _stream = null!;

    public static IEnumerable<string> Backends => ScratchLog.Backends();

    [ParamsSource(nameof(Backends))]
    public string Backend { get; set; } = "";

    [Params(1, 100, 1000)]
    public int BatchSize { get; set; }

    [Params("storage", "log")]
    public string Layer { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _scratch = ScratchLog.Open(Backend);
        _stream = new EventStream();
        _log = Layer == "log" ? new BuildEventLog(_scratch.Storage) : null;
        if (_log is null) _scratch.Storage.Append(_stream.Opening());
        else _log.Append(_stream.Opening());
    }

    [GlobalCleanup]
    public void Cleanup() => _scratch.Dispose();

    [Benchmark]
    [Items(nameof(BatchSize), "events")]
    public int AppendBatch()
    {
        var batch = _stream.Take(BatchSize);
        return _log is null ? _scratch.Storage.Append(batch).Count : _log.Append(batch).Count;
    }
}

/// <summary>Making events, the part of <see cref="Append"/> that is not storage.</summary>
public class Events
{
    private readonly EventStream _stream = new();

    [Benchmark]
    [Items(1000, "events")]
    public int CreateEvents() => _stream.Take(1000).Count;
}
