using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Graphs;
using DataBuild.Upstreams;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// A graph and the places its builds keep state: the BEL (by default <c>sqlite:.databuild/bel.sqlite</c>
/// in the graph's working directory) and the job-run logs (<c>.databuild/logs/</c> there too), or both in a state
/// folder given instead of <c>.databuild/</c> (for a graph installed read-only). Every surface opens graphs through
/// here, so they all agree on those defaults.
/// </summary>
public sealed class GraphWorkspace : IDisposable
{
    public const string StateFolderName = ".databuild";

    private GraphWorkspace(GraphManifest manifest, BuildEventLog log, string belUri, string stateDirectory, IUpstreamGraphs? upstreams)
    {
        Manifest = manifest;
        StateDirectory = stateDirectory;
        Log = log;
        BelUri = belUri;
        Engine = new BuildEngine(manifest, log, upstreams: upstreams);
    }

    public GraphManifest Manifest { get; }

    public BuildEventLog Log { get; }

    public string BelUri { get; }

    public BuildEngine Engine { get; }

    /// <summary>Where the default BEL and the job-run logs are: <c>.databuild/</c> in the working directory, or the folder given to <see cref="Open"/>.</summary>
    public string StateDirectory { get; }

    public string LogDirectory => Path.Combine(StateDirectory, "logs");

    /// <summary>The log of a job run of this graph (see <see cref="JobRunLogs"/>).</summary>
    public string JobRunLogPath(string jobRunId) => JobRunLogs.PathOf(LogDirectory, jobRunId);

    public static string DefaultBelUri => $"sqlite:{StateFolderName}/bel.sqlite";

    private static string DefaultBelUriIn(string stateDirectory) => $"sqlite:{Path.Combine(stateDirectory, "bel.sqlite")}";

    /// <summary>
    /// Loads the manifest at <paramref name="graphPath"/> (a graph.json or its folder) and opens its BEL: the
    /// default one in the graph's working directory, or <paramref name="belUri"/> with relative paths taken from the current folder.
    /// A file log that does not exist yet is created by the first append only (in an existing folder, or the
    /// graph's state folder); until then it reads as empty. <paramref name="onNote"/> hears when a log is
    /// created, and when a command read a log that does not exist. <paramref name="stateDirectory"/> (relative to
    /// the current folder) replaces <c>.databuild/</c> in the working directory as the home of the default BEL and the job-run logs.
    /// Builds reach the graph's upstream graphs through <paramref name="upstreams"/>.
    /// </summary>
    public static GraphWorkspace Open(string graphPath, string? belUri = null, TimeProvider? clock = null, Action<string>? onNote = null,
        string? stateDirectory = null, IUpstreamGraphs? upstreams = null)
    {
        var manifest = GraphManifest.Load(graphPath);
        var state = string.IsNullOrWhiteSpace(stateDirectory)
            ? Path.Combine(manifest.WorkingDirectory, StateFolderName)
            : Path.GetFullPath(stateDirectory);
        var isDefault = string.IsNullOrWhiteSpace(belUri);
        var uri = isDefault ? DefaultBelUriIn(state) : belUri!;
        var baseDirectory = isDefault ? manifest.WorkingDirectory : Environment.CurrentDirectory;
        IEventStorage Open() => EventStorage.Open(uri, baseDirectory);
        var storage = EventStorage.LocalFile(uri, baseDirectory) is { } file && !File.Exists(file.Path) && !Directory.Exists(file.Path)
            ? new MissingEventLog(file.Description, file.Path, mayCreateFolder: isDefault, Open, onNote ?? (_ => { }))
            : Open();
        return new GraphWorkspace(manifest, new BuildEventLog(storage, clock), storage.Description, state, upstreams);
    }

    /// <summary>The reducers over this graph's BEL, read up to now.</summary>
    public BuildEventViews Views()
    {
        var views = new BuildEventViews();
        views.Refresh(Log);
        return views;
    }

    public BuildOptions DefaultOptions() => new() { LogDirectory = LogDirectory };

    public void Dispose() => Log.Dispose();
}
