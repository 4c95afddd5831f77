using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Graphs;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// A graph and the places its builds keep state: the BEL (by default <c>sqlite:.databuild/bel.sqlite</c>
/// in the graph's working directory) and the job-run logs (<c>.databuild/logs/</c> there too). Every surface
/// opens graphs through here, so they all agree on those defaults.
/// </summary>
public sealed class GraphWorkspace : IDisposable
{
    public const string StateFolderName = ".databuild";

    private GraphWorkspace(GraphManifest manifest, BuildEventLog log, string belUri)
    {
        Manifest = manifest;
        Log = log;
        BelUri = belUri;
        Engine = new BuildEngine(manifest, log);
    }

    public GraphManifest Manifest { get; }

    public BuildEventLog Log { get; }

    public string BelUri { get; }

    public BuildEngine Engine { get; }

    public string StateDirectory => Path.Combine(Manifest.WorkingDirectory, StateFolderName);

    public string LogDirectory => Path.Combine(StateDirectory, "logs");

    public static string DefaultBelUri => $"sqlite:{StateFolderName}/bel.sqlite";

    /// <summary>
    /// Loads the manifest at <paramref name="graphPath"/> (a graph.json or its folder) and opens its BEL: the
    /// default one in the graph's working directory, or <paramref name="belUri"/> with relative paths taken from the current folder.
    /// </summary>
    public static GraphWorkspace Open(string graphPath, string? belUri = null, TimeProvider? clock = null)
    {
        var manifest = GraphManifest.Load(graphPath);
        var storage = string.IsNullOrWhiteSpace(belUri)
            ? EventStorage.Open(DefaultBelUri, manifest.WorkingDirectory)
            : EventStorage.Open(belUri, Environment.CurrentDirectory);
        return new GraphWorkspace(manifest, new BuildEventLog(storage, clock), storage.Description);
    }

    /// <summary>The reducers over this graph's BEL, read up to now.</summary>
    public BuildEventViews Views()
    {
        var views = new BuildEventViews();
        views.Refresh(Log.Storage);
        return views;
    }

    public BuildOptions DefaultOptions() => new() { LogDirectory = LogDirectory };

    public void Dispose() => Log.Dispose();
}
