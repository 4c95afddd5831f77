using System.Globalization;
using System.Text.RegularExpressions;

namespace DataBuild.Sdk.Tests;

/// <summary>
/// Runs real dotnet and databuild processes. Build commands run with --disable-build-servers, so no MSBuild
/// node or compiler server outlives a test; the MSBuild variables of the test host's own build are removed, so
/// each child builds as a user's shell would.
/// </summary>
public static class DotNet
{
    public static ProcessResult Build(string workingDirectory, params string[] args) =>
        Run("dotnet", workingDirectory, ["build", "--disable-build-servers", .. args]);

    public static ProcessResult Run(string program, string workingDirectory, IEnumerable<string> args,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var variables = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(name => name, _ => (string?)null);
        variables["DOTNET_NOLOGO"] = "1";
        variables["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) variables[name] = value;
        return ProcessRun.Run(program, workingDirectory, args, variables, timeout: timeout);
    }

    public static ProcessResult Succeeded(this ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    public static ProcessResult Failed(this ProcessResult result)
    {
        Assert.True(result.ExitCode != 0, result.ToString());
        return result;
    }

    /// <summary>
    /// The message of <paramref name="line"/> when it is an error (or warning) <paramref name="code"/> located at an item
    /// of <paramref name="project"/>: the file, then the line and column of the item's element; otherwise null.
    /// </summary>
    public static string? AtItem(this string line, string project, string code, string kind = "error", int? expectedLine = null)
    {
        var match = Regex.Match(line, $@"^{Regex.Escape(project)}\((\d+),(\d+)\): {kind} {code}: (.*)$");
        if (!match.Success) return null;
        var at = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return at > 0 && (expectedLine is null || at == expectedLine) ? match.Groups[3].Value : null;
    }

    /// <summary>The lines that are MSBuild warnings with <paramref name="code"/>, each once.</summary>
    public static IReadOnlyList<string> Warnings(this ProcessResult result, string code) =>
        result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains($"warning {code}:")).Distinct().ToArray();

    /// <summary>The lines that are MSBuild errors with <paramref name="code"/>, each once (MSBuild repeats errors in its summary).</summary>
    public static IReadOnlyList<string> Errors(this ProcessResult result, string code) =>
        result.Output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains($"error {code}:")).Distinct().ToArray();
}
