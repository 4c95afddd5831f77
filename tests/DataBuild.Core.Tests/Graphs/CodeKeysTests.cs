using DataBuild.Graphs;

namespace DataBuild.Core.Tests.Graphs;

/// <summary>The code key of a job whose manifest has none (docs/concepts.md#staleness): its files and its command line.</summary>
public class CodeKeysTests
{
    [Fact]
    public void A_commands_key_changes_with_its_files_content_and_its_arguments_and_with_nothing_else()
    {
        using var folder = new TempFolder();
        folder.Write("jobs/totals.sh", "echo one");
        string[] fast = ["env", "MODE=fast", "jobs/totals.sh"];

        var key = CodeKeys.OfCommand(folder.Path, fast);

        Assert.Equal(32, key.Length);
        Assert.Equal(key, CodeKeys.OfCommand(folder.Path, ["env", "MODE=fast", "jobs/totals.sh"]));
        Assert.NotEqual(key, CodeKeys.OfCommand(folder.Path, ["env", "MODE=slow", "jobs/totals.sh"]));
        folder.Write("jobs/totals.sh", "echo two");
        Assert.NotEqual(key, CodeKeys.OfCommand(folder.Path, fast));
    }

    [Fact]
    public void A_command_of_one_file_is_keyed_as_dotnet_build_keys_it_and_a_program_on_PATH_alone_has_no_key()
    {
        using var folder = new TempFolder();
        var job = folder.Write("jobs/totals.sh", "echo one");

        Assert.Equal(CodeKeys.OfFiles([job]), CodeKeys.OfCommand(folder.Path, ["jobs/totals.sh"]));
        Assert.NotEqual(CodeKeys.OfFiles([job]), CodeKeys.OfCommand(folder.Path, ["bash", "jobs/totals.sh"]));
        Assert.Equal("", CodeKeys.OfCommand(folder.Path, ["python3"]));
        Assert.NotEqual("", CodeKeys.OfCommand(folder.Path, ["python3", "-m", "jobs.totals"]));
    }
}
