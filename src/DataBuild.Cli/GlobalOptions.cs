using System.CommandLine;

namespace DataBuild.Cli;

/// <summary>The options every command takes.</summary>
public static class GlobalOptions
{
    /// <summary>The environment variable that gives <see cref="Server"/> when the option is not on the command line.</summary>
    public const string ServerVariable = "DATABUILD_SERVER";

    public static readonly Option<string?> Graph = new("--graph", "-g")
    {
        Description = "The graph manifest (graph.json) or its folder. Default: ./graph.json, else the graph.json beside this program (a published graph).",
        Recursive = true,
    };

    public static readonly Option<string?> Bel = new("--bel")
    {
        Description = "The Build Event Log URI: sqlite:<path>, file:<path>, postgres:<connection string> or delta:<folder> (a Delta Lake table). Default: sqlite:.databuild/bel.sqlite in the graph's working directory (the manifest's folder unless it names another).",
        Recursive = true,
    };

    public static readonly Option<string?> StateDirectory = new("--state-dir")
    {
        Description = "Where the default Build Event Log and the job-run logs live, instead of .databuild/ in the graph's working directory: for a graph installed read-only.",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for scripts instead of text; statuses are the schema's names, e.g. PARTITION_AVAILABLE.",
        Recursive = true,
    };

    public static readonly Option<string?> Server = new("--server")
    {
        Description = $"Talk to a running 'databuild serve' at this address (e.g. http://127.0.0.1:8765) instead of opening the log: for status, runs, " +
            $"logs, events, build, want and wants, with the same output. Default: ${ServerVariable}, else the log itself.",
        Recursive = true,
    };

    public static readonly Option<string?> TokenFile = new("--token-file")
    {
        Description = "A file holding the service's bearer token. For serve: every call but /healthz, /readyz and the dashboard's own files must send 'Authorization: Bearer <token>'. " +
            "With --server: the token this command sends.",
        Recursive = true,
    };

    /// <summary>The manifest path the user meant, following the defaults in the --graph help.</summary>
    public static string ResolveGraph(ParseResult parse)
    {
        var given = parse.GetValue(Graph);
        if (!string.IsNullOrWhiteSpace(given)) return given;
        if (File.Exists("graph.json")) return "graph.json";
        var beside = Path.Combine(AppContext.BaseDirectory, "graph.json");
        if (File.Exists(beside)) return beside;
        throw new UsageException(
            $"there is no graph.json in {Environment.CurrentDirectory} or beside databuild; name the graph with --graph <graph.json or its folder> " +
            "(dotnet build writes it to obj/<configuration>/<framework>/graph.json, e.g. --graph obj/Debug/net10.0/graph.json)");
    }

    /// <summary>The service the user named with --server or <see cref="ServerVariable"/>, checked; null to open the log.</summary>
    public static Uri? ResolveServer(ParseResult parse)
    {
        var (given, source) = parse.GetValue(Server) is { Length: > 0 } option ? (option, "--server")
            : Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } variable ? (variable, ServerVariable)
            : (null, "");
        if (given is null) return null;
        if (!Uri.TryCreate(given, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            throw new UsageException($"{source} must be the service's http:// or https:// address, e.g. http://127.0.0.1:8765, got '{given}'");
        return uri;
    }
}
