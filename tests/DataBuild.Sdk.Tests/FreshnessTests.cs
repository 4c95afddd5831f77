namespace DataBuild.Sdk.Tests;

/// <summary>
/// What `dotnet build -t:DataBuild` rebuilds after a change (docs/concepts.md#staleness), with real jobs and real
/// builds: a C# job's code under a kept and a new major version, its code without a version, a deleted output of a
/// job with Locations, and DataBuildRebuildStale=false.
/// </summary>
public sealed class FreshnessTests : IDisposable
{
    private readonly SourceGraph _graph = new();

    public void Dispose() => _graph.Dispose();

    private void WriteProject(string wordsVersion) => _graph.Folder.Write("graph/Graph.csproj", $$"""
        <Project>
        {{SdkFromSource.PropsImport}}
          <PropertyGroup>
            <DataBuildEnvironment>DATA_DIR={{_graph.DataDirectory}}</DataBuildEnvironment>
          </PropertyGroup>
          <ItemGroup>
            <DataBuildJob Include="letters" Command="jobs/letters.sh" Outputs="letters/{n}" Locations="{{_graph.DataDirectory}}/letters/{n}" />
            <DataBuildJob Include="words" Project="../words/Words.csproj" Outputs="words/{n}" Locations="{{_graph.DataDirectory}}/words/{n}" {{(wordsVersion.Length > 0 ? $"Version=\"{wordsVersion}\"" : "")}} />
          </ItemGroup>
        {{SdkFromSource.TargetsImport}}
        </Project>
        """);

    private void EditWords(string from, string to)
    {
        var program = _graph.Folder.Combine("words", "Program.cs");
        File.WriteAllText(program, File.ReadAllText(program).Replace(from, to, StringComparison.Ordinal));
    }

    // The job runs the build made, as "job ref", sorted: each run writes a file of its own under data/runs/.
    private string[] Build(params string[] properties)
    {
        var runs = Path.Combine(_graph.DataDirectory, "runs");
        string[] Files() => Directory.Exists(runs) ? Directory.GetFiles(runs) : [];
        var before = Files().ToHashSet(StringComparer.Ordinal);
        var result = DotNet.Build(_graph.GraphDirectory, ["-t:DataBuild", "-p:Partitions=words/1", .. properties]).Succeeded();
        Assert.DoesNotContain("DB0014", result.Output);
        return Files().Where(f => !before.Contains(f)).Select(f => File.ReadAllText(f).Trim()).Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void Code_changes_versions_and_deleted_outputs_rebuild_exactly_what_they_should()
    {
        WriteProject("1");
        Assert.Equal(["letters letters/1", "words words/1"], Build());
        Assert.Matches("\"codeKey\": \"[0-9a-f]{32}\"", File.ReadAllText(_graph.Manifest));
        Assert.Equal("LETTER 1\n", _graph.Read("words/1"));

        // A code change under the same major version is compatible: nothing is rebuilt.
        EditWords("ToUpperInvariant()", "ToLowerInvariant()");
        WriteProject("1.1");
        Assert.Empty(Build());
        Assert.Equal("LETTER 1\n", _graph.Read("words/1"));

        // A new major version rebuilds the job's partition, and not its upstream.
        WriteProject("2");
        Assert.Equal(["words words/1"], Build());
        Assert.Equal("letter 1\n", _graph.Read("words/1"));

        // Without a version, any change of the built program does.
        WriteProject("");
        Assert.Empty(Build());
        EditWords("ToLowerInvariant()", "ToLowerInvariant() + \"!\"");
        Assert.Equal(["words words/1"], Build());
        Assert.Equal("letter 1\n!", _graph.Read("words/1"));

        // A deleted output is rebuilt, and nothing else.
        File.Delete(Path.Combine(_graph.DataDirectory, "words/1"));
        Assert.Equal(["words words/1"], Build());
        Assert.Equal("letter 1\n!", _graph.Read("words/1"));

        // DataBuildRebuildStale=false keeps what a code change made stale.
        File.AppendAllText(_graph.Folder.Combine("graph", "jobs", "letters.sh"), "\n# changed\n");
        Assert.Empty(Build("-p:DataBuildRebuildStale=false"));
        Assert.Equal(["letters letters/1", "words words/1"], Build());
        Assert.Empty(Build());
    }
}
