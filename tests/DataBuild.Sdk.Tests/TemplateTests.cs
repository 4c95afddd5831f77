namespace DataBuild.Sdk.Tests;

public class TemplateTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Dotnet_new_databuild_graph_creates_a_graph_that_builds_its_partitions_as_created()
    {
        // Every package the created project needs, in a feed of the test's own, and a package cache of its own.
        var feed = _folder.Combine("feed");
        foreach (var project in new[] { "src/DataBuild.Sdk", "src/DataBuild.Job", "src/DataBuild.Contracts", "templates/DataBuild.Templates" })
            DotNet.Run("dotnet", Repository.Root, ["pack", project, "-c", "Debug", "--disable-build-servers", "-o", feed]).Succeeded();
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _folder.Combine("packages") };
        var hive = _folder.Combine("template-hive");
        var template = Directory.GetFiles(feed, "DataBuild.Templates.*.nupkg").Single();
        DotNet.Run("dotnet", _folder.Path, ["new", "install", template, "--debug:custom-hive", hive], environment).Succeeded();

        DotNet.Run("dotnet", _folder.Path, ["new", "databuild-graph", "-o", "Letters", "--debug:custom-hive", hive], environment).Succeeded();
        var created = _folder.Combine("Letters");
        Assert.True(File.Exists(Path.Combine(created, "Letters.csproj")));
        Assert.Contains(".databuild/", File.ReadAllText(Path.Combine(created, ".gitignore")));
        Assert.True(File.Exists(Path.Combine(created, "README.md")));
        _folder.Write("Letters/nuget.config", $"""
            <configuration>
              <packageSources>
                <add key="databuild" value="{feed}" />
              </packageSources>
            </configuration>
            """);

        var result = DotNet.Run("dotnet", created, ["build", "--disable-build-servers", "-t:DataBuild", "-p:Partitions=words/hello"], environment).Succeeded();

        Assert.Contains("DataBuild: Build succeeded: 2 job runs", result.Output);
        Assert.Equal("HELLO\n", File.ReadAllText(Path.Combine(created, "data", "words", "hello")));
    }
}
