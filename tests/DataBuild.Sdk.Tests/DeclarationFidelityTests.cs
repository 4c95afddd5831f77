namespace DataBuild.Sdk.Tests;

/// <summary>What a misspelt or mistaken &lt;DataBuildJob&gt; gets at `dotnet build`: a message naming the fix, at its line.</summary>
public class DeclarationFidelityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Misspelt_metadata_warns_with_the_closest_name_and_mistaken_commands_say_how_to_fix_them_at_their_lines()
    {
        _folder.Write("graph/jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        _folder.Write("graph/jobs/plain.sh", GraphProject.NoOpJob);
        _folder.Write("graph/late.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("graph/Typos.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="a" Command="jobs/ok.sh" Outputs="a/{x}" Retry="2" TimeoutSecond="5" />
                <DataBuildJob Include="b" Command="jobs/ok.sh" Ouputs="b/{x}" />
                <DataBuildJob Include="c" Command="late.sh" Outputs="c/{x}" />
                <DataBuildJob Include="d" Command="jobs/plain.sh" Outputs="d/{x}" />
              </ItemGroup>
            """));
        int LineOf(string text) => Array.FindIndex(File.ReadAllLines(project), l => l.Contains(text)) + 1;

        var result = DotNet.Build(_folder.Combine("graph")).Failed();

        var warnings = result.Warnings("DB0014");
        Assert.Contains(warnings, w => w.AtItem(project, "DB0014", "warning", LineOf("Include=\"a\""))?.StartsWith("job 'a': unknown metadata 'Retry' is ignored; did you mean 'Retries'?") == true);
        Assert.Contains(warnings, w => w.AtItem(project, "DB0014", "warning", LineOf("Include=\"a\""))?.StartsWith("job 'a': unknown metadata 'TimeoutSecond' is ignored; did you mean 'TimeoutSeconds'?") == true);
        Assert.Contains(warnings, w => w.AtItem(project, "DB0014", "warning", LineOf("Include=\"b\""))?.Contains("'Ouputs' is ignored; did you mean 'Outputs'?") == true);
        Assert.Contains(result.Errors("DB0007"), e => e.AtItem(project, "DB0007", expectedLine: LineOf("Include=\"b\""))?.StartsWith("job 'b' has no Outputs") == true);
        Assert.Contains(result.Errors("DB0016"), e => e.AtItem(project, "DB0016", expectedLine: LineOf("Include=\"c\""))?
            .Contains("the command 'late.sh' is not a program on PATH, but the project folder has a file of that name; write Command=\"./late.sh\"") == true);
        Assert.Contains(result.Errors("DB0015"), e => e.AtItem(project, "DB0015", expectedLine: LineOf("Include=\"d\""))?
            .Contains($"the command 'jobs/plain.sh' is not executable; run: chmod +x '{_folder.Combine("graph", "jobs", "plain.sh")}'") == true);
    }
}
