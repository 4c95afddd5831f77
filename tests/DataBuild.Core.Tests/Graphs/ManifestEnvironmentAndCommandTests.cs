using DataBuild.Graphs;

namespace DataBuild.Core.Tests.Graphs;

public class ManifestEnvironmentAndCommandTests
{
    [Fact]
    public void The_environment_round_trips_and_gives_way_to_the_callers_environment_and_then_to_configs()
    {
        using var folder = new TempFolder();
        var set = $"DATABUILD_TEST_SET_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(set, "from the caller");
        try
        {
            var manifest = GraphManifest.Load(folder.Write("graph.json", $$"""
                { "label": "g", "environment": { "DATA_DIR": "/srv/data", "{{set}}": "from the manifest", "BOTH": "manifest" },
                  "jobs": [ { "label": "a", "command": ["bash"], "outputs": ["a/{x}"] } ] }
                """));

            Assert.Equal("/srv/data", manifest.Environment["DATA_DIR"]);
            Assert.Contains("\"DATA_DIR\": \"/srv/data\"", manifest.ToJson());
            var env = manifest.JobEnvironment(new Dictionary<string, string> { ["BOTH"] = "config" });
            Assert.Equal("/srv/data", env["DATA_DIR"]);
            Assert.False(env.ContainsKey(set), "a variable the caller sets is left to the caller");
            Assert.Equal("config", env["BOTH"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(set, null);
        }
    }

    [Fact]
    public void A_program_without_the_execute_bit_and_a_bare_name_meant_as_a_file_beside_the_manifest_are_refused_saying_how_to_fix_them()
    {
        using var folder = new TempFolder();
        folder.Write("jobs/plain.sh", "#!/usr/bin/env bash\n");
        folder.Write("late.sh", "#!/usr/bin/env bash\n", executable: true);
        var file = folder.Write("graph.json", """
            { "label": "g", "jobs": [
                { "label": "plain", "command": ["jobs/plain.sh"], "outputs": ["p/{x}"] },
                { "label": "late", "command": ["late.sh"], "outputs": ["l/{x}"] } ] }
            """);

        var error = Assert.Throws<GraphManifestException>(() => GraphManifest.Load(file));

        Assert.Contains(error.Problems, p => p.Kind == GraphManifestProblemKind.CommandNotExecutable && p.Message.Contains($"chmod +x '{Path.Combine(folder.Path, "jobs", "plain.sh")}'"));
        Assert.Contains(error.Problems, p => p.Kind == GraphManifestProblemKind.CommandBesideManifest && p.Message.Contains("write './late.sh'"));
    }
}
