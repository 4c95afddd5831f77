using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Build.Framework;

namespace DataBuild.Tasks;

/// <summary>
/// Turns the databuild runner's framework-dependent <c>runtimeconfig.json</c> into a self-contained one for a
/// published graph: the shared frameworks it names become <c>includedFrameworks</c>, at the versions of the runtime
/// packs the publish copied beside it, so the host runs it on that runtime and never looks for an installed one.
/// Its other settings (invariant globalization and the like) are kept.
/// </summary>
public sealed class WriteSelfContainedRuntimeConfig : Microsoft.Build.Utilities.Task
{
    /// <summary>The runner's framework-dependent runtimeconfig.json.</summary>
    [Required]
    public string Source { get; set; } = "";

    [Required]
    public string Destination { get; set; } = "";

    /// <summary>The runtime packs of the publish (the SDK's ResolvedRuntimePack items: FrameworkName, NuGetPackageVersion).</summary>
    [Required]
    public ITaskItem[] RuntimePacks { get; set; } = [];

    public override bool Execute()
    {
        var config = JsonNode.Parse(File.ReadAllText(Source))!.AsObject();
        var options = config["runtimeOptions"]!.AsObject();
        var named = options["frameworks"]?.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToArray()
            ?? [options["framework"]!["name"]!.GetValue<string>()];
        var included = new JsonArray();
        foreach (var name in named)
        {
            var pack = RuntimePacks.FirstOrDefault(p => p.GetMetadata("FrameworkName") == name);
            if (pack is null)
            {
                Log.LogError($"DataBuild: the self-contained publish has no runtime pack for {name}, which the databuild runner runs on");
                return false;
            }
            included.Add(new JsonObject { ["name"] = name, ["version"] = pack.GetMetadata("NuGetPackageVersion") });
        }
        options.Remove("framework");
        options.Remove("frameworks");
        options.Remove("includedFrameworks");
        options["includedFrameworks"] = included;
        File.WriteAllText(Destination, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return true;
    }
}
