namespace DataBuild.Sdk.Tests;

public class ValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static bool AtItem(Diagnostic diagnostic, string project) => diagnostic.File == project && diagnostic.Line > 0;

    [Fact]
    public void Each_invalid_declaration_is_an_error_with_its_code_located_at_the_project_file()
    {
        _folder.Write("graph/jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("graph/Bad.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="a" Command="jobs/ok.sh" Outputs="a/{x" />
                <DataBuildJob Include="b" Command="jobs/ok.sh" Outputs="b/{x}" />
                <DataBuildJob Include="b" Command="jobs/ok.sh" Outputs="b2/{x}" />
                <DataBuildJob Include="c" Command="jobs/ok.sh" Outputs="same/{x}" />
                <DataBuildJob Include="d" Command="jobs/ok.sh" Outputs="same/{y}" />
                <DataBuildJob Include="e" Project="missing/Missing.csproj" Outputs="e/{x}" />
                <DataBuildJob Include="f" Command="jobs/missing.sh" Outputs="f/{x}" />
                <DataBuildJob Include="g" Outputs="g/{x}" />
                <DataBuildJob Include="h" Command="jobs/ok.sh" />
                <DataBuildJob Include="i@home" Command="jobs/ok.sh" Outputs="i/{x}" />
                <DataBuildJob Include="j" Command="jobs/ok.sh" Outputs="j/{x}" Retries="two" />
                <DataBuildGraph Include="../nowhere/Graph.csproj" />
              </ItemGroup>
            """));

        var result = InProcessMSBuild.Build(project).Failed();

        var expected = new Dictionary<string, string>
        {
            ["DB0001"] = "job 'a': invalid pattern 'a/{x' in Outputs",
            ["DB0002"] = "the job label 'b' is declared twice",
            ["DB0003"] = "the pattern 'same/{y}' of job 'd'",
            ["DB0004"] = "job 'e': the project 'missing/Missing.csproj' does not exist",
            ["DB0005"] = "job 'f': the command 'jobs/missing.sh' does not exist",
            ["DB0006"] = "job 'g' must have exactly one of Project",
            ["DB0007"] = "job 'h' has no Outputs",
            ["DB0008"] = "job 'i@home': label 'i@home' contains '@'",
            ["DB0009"] = "job 'j': Retries must be a whole number, got 'two'",
        };
        foreach (var (code, text) in expected)
            Assert.True(result.ErrorsOf(code).Any(e => AtItem(e, project) && e.Message.Contains(text)), $"no {code} error saying \"{text}\" at an item:\n{result}");
        Assert.Contains(result.ErrorsOf("DB0004"), e => e.Message.Contains("the composed graph project '../nowhere/Graph.csproj' does not exist"));
        Assert.False(File.Exists(_folder.Combine("graph", "obj", "Debug", "net10.0", "graph.json")));
    }

    [Fact]
    public void Item_errors_and_the_graph_rules_Core_checks_are_reported_in_one_build()
    {
        _folder.Write("graph/jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("graph/Mixed.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="a" Command="jobs/ok.sh" Outputs="a/{x" />
                <DataBuildJob Include="b" Command="jobs/ok.sh" Outputs="b/{x}" Retries="-1" />
                <DataBuildJob Include="c" Command="jobs/ok.sh" Outputs="c/{x}" MaxConcurrency="0" />
                <DataBuildJob Include="d" Command="$(MSBuildThisFileDirectory)jobs/gone.sh" Outputs="d/{x}" />
                <DataBuildJob Include="e" Command="jobs/ok.sh" Outputs="e/{a}{b}" />
              </ItemGroup>
            """));

        var result = InProcessMSBuild.Build(project).Failed();

        Assert.Single(result.ErrorsOf("DB0001"));
        Assert.Contains(result.ErrorsOf("DB0009"), e => AtItem(e, project) && e.Message.StartsWith("job 'b': retries must not be negative, got -1"));
        Assert.Contains(result.ErrorsOf("DB0009"), e => e.Message.Contains("job 'c': maxConcurrency must be at least 1"));
        Assert.Contains(result.ErrorsOf("DB0005"), e => e.Message.Contains($"job 'd': the command '{_folder.Combine("graph", "jobs", "gone.sh")}' does not exist"));
        Assert.Contains(result.ErrorsOf("DB0012"), e => AtItem(e, project) && e.Message.StartsWith("job 'e': the pattern 'e/{a}{b}' is ambiguous"));
    }

    [Fact]
    public void A_requested_ref_that_would_reach_the_CLI_as_an_option_is_an_error_and_semicolons_still_separate_refs()
    {
        _folder.Write("graph/jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("graph/Refs.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="a" Command="jobs/ok.sh" Outputs="a/{x}" />
              </ItemGroup>
            """));

        var result = DotNet.Build(_folder.Combine("graph"), "-t:DataBuildAnalyze", "-p:Partitions=a/1%3B-x%3Ba/2").Failed();

        var error = Assert.Single(result.Errors("DB0022"));
        Assert.StartsWith($"{project} : error DB0022: invalid partition ref '-x' requested: a partition ref must not start with '-' (position 0)", error);
        Assert.Empty(result.Errors("DB0102"));
    }

    [Fact]
    public void A_composed_graph_adds_its_jobs_and_a_clashing_pattern_names_both_jobs_and_both_projects()
    {
        _folder.Write("jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var other = _folder.Write("other/Other.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="shared_maker" Command="../jobs/ok.sh" Outputs="shared/{x}" />
                <DataBuildJob Include="other_maker" Command="../jobs/ok.sh" Outputs="other/{x}" />
              </ItemGroup>
            """));
        const string mainBody = """
              <ItemGroup>
                <DataBuildGraph Include="../other/Other.csproj" />
                <DataBuildJob Include="main_maker" Command="../jobs/ok.sh" Outputs="main/{x}" />
              </ItemGroup>
            """;
        var main = _folder.Write("main/Main.csproj", GraphProject.FromSource(mainBody));

        InProcessMSBuild.Build(main).Succeeded();
        var manifest = File.ReadAllText(_folder.Combine("main", "obj", "Debug", "net10.0", "graph.json"));
        Assert.Contains("\"main_maker\"", manifest);
        Assert.Contains("\"shared_maker\"", manifest);
        Assert.Contains("\"other_maker\"", manifest);

        _folder.Write("main/Main.csproj", GraphProject.FromSource(mainBody.Replace(
            "</ItemGroup>", "  <DataBuildJob Include=\"clash\" Command=\"../jobs/ok.sh\" Outputs=\"shared/{y}\" />\n  </ItemGroup>")));
        var clash = InProcessMSBuild.Build(main).Failed();

        var error = Assert.Single(clash.ErrorsOf("DB0003"));
        Assert.Contains("'clash'", error.Message);
        Assert.Contains("'shared_maker'", error.Message);
        Assert.Contains(main, error.ToString());
        Assert.Contains(other, error.Message);
    }
}
