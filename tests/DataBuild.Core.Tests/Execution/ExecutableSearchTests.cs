using System.Runtime.Versioning;
using DataBuild.Graphs;

namespace DataBuild.Core.Tests.Execution;

[SupportedOSPlatform("linux")]
public class ExecutableSearchTests
{
    [Fact]
    public void A_bare_name_is_the_first_executable_of_that_name_on_path()
    {
        var root = Directory.CreateTempSubdirectory("databuild-exec-search").FullName;
        try
        {
            var notExecutable = Directory.CreateDirectory(Path.Combine(root, "a")).FullName;
            var executable = Directory.CreateDirectory(Path.Combine(root, "b")).FullName;
            var later = Directory.CreateDirectory(Path.Combine(root, "c")).FullName;
            File.WriteAllText(Path.Combine(notExecutable, "tool"), "");
            foreach (var folder in new[] { executable, later })
            {
                File.WriteAllText(Path.Combine(folder, "tool"), "#!/bin/sh\n");
                File.SetUnixFileMode(Path.Combine(folder, "tool"), UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }
            var searchPath = string.Join(Path.PathSeparator, notExecutable, executable, later);
            Assert.Equal(Path.Combine(executable, "tool"), ExecutableSearch.Resolve("tool", searchPath));
            Assert.Null(ExecutableSearch.Resolve("tool", notExecutable));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Paths_are_taken_as_given_and_unknown_names_are_null()
    {
        Assert.Equal("./jobs/x.sh", ExecutableSearch.Resolve("./jobs/x.sh"));
        Assert.Null(ExecutableSearch.Resolve("no-such-program-anywhere"));
        Assert.NotNull(ExecutableSearch.Resolve("bash"));
    }
}
