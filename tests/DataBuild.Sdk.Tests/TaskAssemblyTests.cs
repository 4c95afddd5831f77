namespace DataBuild.Sdk.Tests;

/// <summary>
/// MSBuild loads the tasks into its own processes: they must bring no database driver, which only the databuild CLI
/// (a child process) needs. The storage backends are assemblies the CLI references and the tasks do not.
/// </summary>
public class TaskAssemblyTests
{
    private static readonly string[] DriverAssemblies = ["DataBuild.Storage.Sqlite", "DataBuild.Storage.Postgres", "Microsoft.Data.Sqlite", "SQLitePCLRaw", "Npgsql", "DataBuild.Storage.Delta", "Parquet"];

    [Fact]
    public void The_tasks_depend_on_no_database_driver_and_the_cli_beside_them_carries_every_backend()
    {
        var tasks = Repository.Path("src", "DataBuild.Tasks", "bin", "Debug", "net10.0");
        var deps = File.ReadAllText(Path.Combine(tasks, "DataBuild.Tasks.deps.json"));
        Assert.All(DriverAssemblies, name => Assert.DoesNotContain(name, deps));
        Assert.DoesNotContain(Directory.GetFiles(tasks), file => DriverAssemblies.Any(name => Path.GetFileName(file).StartsWith(name, StringComparison.Ordinal)));

        var cli = File.ReadAllText(Repository.Path("src", "DataBuild.Cli", "bin", "Debug", "net10.0", "databuild.deps.json"));
        Assert.All(DriverAssemblies, name => Assert.Contains(name, cli));
    }
}
