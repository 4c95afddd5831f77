using DataBuild.Graphs;

namespace DataBuild.Core.Tests.Graphs;

public class WorkingDirectoryTests
{
    private const string Jobs = """ "jobs": [ { "label": "a", "command": ["bash"], "outputs": ["a/{x}"] } ] """;

    [Fact]
    public void Jobs_run_in_the_manifests_folder_unless_it_names_another()
    {
        using var folder = new TempFolder();
        var plain = GraphManifest.Load(folder.Write("plain/graph.json", $$"""{ "label": "g", {{Jobs}} }"""));
        Assert.Equal(plain.Folder, plain.WorkingDirectory);
        Assert.Null(plain.DeclaredWorkingDirectory);

        Directory.CreateDirectory(Path.Combine(folder.Path, "project"));
        var generated = GraphManifest.Load(folder.Write("project/obj/graph.json", $$"""{ "label": "g", "workingDirectory": "..", {{Jobs}} }"""));
        Assert.Equal(Path.Combine(folder.Path, "project"), generated.WorkingDirectory);
        Assert.Contains("\"workingDirectory\": \"..\"", generated.ToJson());
    }

    [Fact]
    public void A_working_directory_that_is_not_a_folder_is_an_error_naming_it()
    {
        using var folder = new TempFolder();
        var file = folder.Write("graph.json", $$"""{ "label": "g", "workingDirectory": "nowhere", {{Jobs}} }""");
        var error = Assert.Throws<GraphManifestException>(() => GraphManifest.Load(file));
        Assert.Contains("workingDirectory 'nowhere' is not a folder", error.Message);

        var empty = folder.Write("empty.json", $$"""{ "label": "g", "workingDirectory": "", {{Jobs}} }""");
        Assert.Contains("workingDirectory must not be empty", Assert.Throws<GraphManifestException>(() => GraphManifest.Load(empty)).Message);
    }
}
