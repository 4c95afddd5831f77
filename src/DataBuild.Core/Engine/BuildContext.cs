using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// What the parts of one build share: the engine and options, the log with the session's grouped writes,
/// the views the session judges by, the recorder of its events and its progress. One per build session,
/// used on its loop only.
/// </summary>
internal sealed class BuildContext
{
    public BuildContext(BuildEngine engine, BuildOptions options, IProgress<BuildProgress>? progress)
    {
        Engine = engine;
        Options = options;
        Id = options.BuildRequestId ?? Guid.CreateVersion7().ToString();
        Writes = new GroupCommit(engine.Log);
        Recorder = new BuildRecorder(Id, Writes, engine.JobIdentities);
        Progress = new ProgressReporter(progress);
        Presence = engine.NewPresenceCheck(Views.Catalog);
    }

    public BuildEngine Engine { get; }

    public BuildOptions Options { get; }

    /// <summary>The build request's id.</summary>
    public string Id { get; }

    public BuildEventLog Log => Engine.Log;

    public GroupCommit Writes { get; }

    public BuildEventViews Views { get; } = new();

    public BuildRecorder Recorder { get; }

    public ProgressReporter Progress { get; }

    /// <summary>The tasks' scheduling state, from planning on.</summary>
    public TaskBoard Board
    {
        get => _board ?? throw new InvalidOperationException("the build has not been planned");
        set => Progress.Board = _board = value;
    }

    private TaskBoard? _board;

    /// <summary>Reads what was appended since the last refresh, after writing what is held, so the views see it too.</summary>
    public void RefreshViews()
    {
        Writes.Flush();
        Views.Refresh(Log);
    }

    /// <summary>The build's stats of declared output locations, the requested partitions' and their recorded upstreams', each done once.</summary>
    public OutputPresence Presence { get; }

    /// <summary>True when the partition is built and need not be built again (<see cref="BuildEngine.IsUpToDate"/>).</summary>
    public bool IsAvailable(string partitionRef) => Engine.IsUpToDate(Views.Catalog, partitionRef, Options.RebuildStale, Presence);
}
