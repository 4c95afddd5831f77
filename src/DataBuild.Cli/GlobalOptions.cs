using System.CommandLine;

namespace DataBuild.Cli;

/// <summary>The options every command takes.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Graph = new("--graph", "-g")
    {
        Description = "The graph manifest (graph.json) or its folder. Default: ./graph.json, else the graph.json beside this program (a published graph).",
        Recursive = true,
    };

    public static readonly Option<string?> Bel = new("--bel")
    {
        Description = "The Build Event Log URI: sqlite:<path>, file:<path> or postgres:<connection string>. Default: sqlite:.databuild/bel.sqlite in the graph's working directory (the manifest's folder unless it names another).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON for scripts instead of text; statuses are the schema's names, e.g. PARTITION_AVAILABLE.",
        Recursive = true,
    };

    /// <summary>The manifest path the user meant, following the defaults in the --graph help.</summary>
    public static string ResolveGraph(ParseResult parse)
    {
        var given = parse.GetValue(Graph);
        if (!string.IsNullOrWhiteSpace(given)) return given;
        if (File.Exists("graph.json")) return "graph.json";
        var beside = Path.Combine(AppContext.BaseDirectory, "graph.json");
        return File.Exists(beside) ? beside : "graph.json";
    }
}
