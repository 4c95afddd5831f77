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

        var result = InProcessMSBuild.Build(project).Failed();

        bool At(Diagnostic d, string item) => d.File == project && d.Line == LineOf($"Include=\"{item}\"");
        var warnings = result.WarningsOf("DB0014");
        Assert.Contains(warnings, w => At(w, "a") && w.Message.StartsWith("job 'a': unknown metadata 'Retry' is ignored; did you mean 'Retries'?"));
        Assert.Contains(warnings, w => At(w, "a") && w.Message.StartsWith("job 'a': unknown metadata 'TimeoutSecond' is ignored; did you mean 'TimeoutSeconds'?"));
        Assert.Contains(warnings, w => At(w, "b") && w.Message.Contains("'Ouputs' is ignored; did you mean 'Outputs'?"));
        Assert.Contains(result.ErrorsOf("DB0007"), e => At(e, "b") && e.Message.StartsWith("job 'b' has no Outputs"));
        Assert.Contains(result.ErrorsOf("DB0016"), e => At(e, "c") &&
            e.Message.Contains("the command 'late.sh' is not a program on PATH, but the project folder has a file of that name; write Command=\"./late.sh\""));
        Assert.Contains(result.ErrorsOf("DB0015"), e => At(e, "d") &&
            e.Message.Contains($"the command 'jobs/plain.sh' is not executable; run: chmod +x '{_folder.Combine("graph", "jobs", "plain.sh")}'"));
    }
}
