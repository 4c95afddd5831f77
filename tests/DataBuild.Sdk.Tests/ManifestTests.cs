namespace DataBuild.Sdk.Tests;

public class ManifestTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_manifest_is_regenerated_when_a_jobs_Outputs_change_and_left_alone_otherwise()
    {
        _folder.Write("jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        string Project(string outputs, string comment = "") => GraphProject.FromSource($"""
              <ItemGroup>
                <!--{comment}-->
                <DataBuildJob Include="maker" Command="jobs/ok.sh" Outputs="{outputs}" />
              </ItemGroup>
            """);
        _folder.Write("Graph.csproj", Project("made/{x}"));
        var manifest = _folder.Combine("obj", "Debug", "net10.0", "graph.json");

        DotNet.Build(_folder.Path).Succeeded();
        var written = File.GetLastWriteTimeUtc(manifest);
        Assert.Contains("\"made/{x}\"", File.ReadAllText(manifest));

        var again = DotNet.Build(_folder.Path, "-v:n").Succeeded();
        Assert.Contains("Skipping target \"DataBuildWriteManifest\" because all output files are up-to-date", again.Output);

        // A change to the project that does not change the jobs leaves the manifest as it was.
        _folder.Write("Graph.csproj", Project("made/{x}", comment: " a comment "));
        DotNet.Build(_folder.Path).Succeeded();
        Assert.Equal(written, File.GetLastWriteTimeUtc(manifest));

        _folder.Write("Graph.csproj", Project("made/{x};also/made/{x}"));
        DotNet.Build(_folder.Path).Succeeded();
        Assert.Contains("\"also/made/{x}\"", File.ReadAllText(manifest));
        Assert.NotEqual(written, File.GetLastWriteTimeUtc(manifest));
    }
}
