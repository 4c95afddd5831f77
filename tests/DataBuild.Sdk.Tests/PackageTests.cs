using System.IO.Compression;

namespace DataBuild.Sdk.Tests;

public class PackageTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_packed_sdk_builds_partitions_in_a_project_outside_the_repository()
    {
        var version = DotNet.Run("dotnet", Repository.Root, ["msbuild", "src/DataBuild.Sdk", "-getProperty:Version"]).Succeeded().Output.Trim();
        DotNet.Run("dotnet", Repository.Root, ["pack", "src/DataBuild.Sdk", "-c", "Debug", "--disable-build-servers"]).Succeeded();
        var package = Repository.Path("artifacts", "packages", $"DataBuild.Sdk.{version}.nupkg");
        Assert.True(File.Exists(package), $"dotnet pack did not write {package}");

        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains("Sdk/Sdk.props", entries);
            Assert.Contains("Sdk/Sdk.targets", entries);
            Assert.Contains("tools/net10.0/DataBuild.Tasks.dll", entries);
            Assert.Contains("tools/net10.0/DataBuild.Tasks.deps.json", entries);
            Assert.Contains("tools/net10.0/databuild.dll", entries);
            Assert.Contains("tools/net10.0/runtimes/linux-x64/native/libe_sqlite3.so", entries);
            // Natives for the platforms MSBuild runs on only.
            Assert.Contains("tools/net10.0/runtimes/osx-arm64/native/libe_sqlite3.dylib", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("tools/net10.0/runtimes/ios", StringComparison.Ordinal) || e.StartsWith("tools/net10.0/runtimes/browser", StringComparison.Ordinal));
            Assert.Contains("tools/net10.0/DataBuild.Storage.Sqlite.dll", entries);
            Assert.Contains("tools/net10.0/DataBuild.Storage.Postgres.dll", entries);
            using (var tasksDeps = new StreamReader(zip.GetEntry("tools/net10.0/DataBuild.Tasks.deps.json")!.Open()))
                Assert.DoesNotContain("DataBuild.Storage", tasksDeps.ReadToEnd());
            Assert.DoesNotContain(entries, e => Path.GetFileName(e).StartsWith("Microsoft.Build", StringComparison.Ordinal));
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
            Assert.Contains("<packageType name=\"MSBuildSdk\" />", nuspec.ReadToEnd());
        }

        // A user's project: its own folder, a feed holding only this package, and a package cache of its own so an
        // older extraction of the same version cannot stand in for the package just built.
        var feed = Directory.CreateDirectory(_folder.Combine("feed")).FullName;
        File.Copy(package, Path.Combine(feed, Path.GetFileName(package)));
        _folder.Write("user/nuget.config", $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        _folder.Write("user/jobs/greet.sh", """
            #!/usr/bin/env bash
            set -euo pipefail
            verb="$1"; shift
            case "$verb" in
              configure) printf '{"configs":[{"outputs":[{"str":"%s"}],"inputs":[],"args":["%s"],"env":{}}]}\n' "$1" "$1" ;;
              exec) mkdir -p out/greetings && echo "hello ${1#greetings/}" > "out/$1" ;;
            esac
            """, executable: true);
        _folder.Write("user/Greetings.csproj", $$"""
            <Project Sdk="DataBuild.Sdk/{{version}}">
              <ItemGroup>
                <DataBuildJob Include="greet" Command="jobs/greet.sh" Outputs="greetings/{name}" />
              </ItemGroup>
            </Project>
            """);

        var result = DotNet.Run("dotnet", _folder.Combine("user"), ["build", "--disable-build-servers", "-t:DataBuild", "-p:Partitions=greetings/world"],
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = _folder.Combine("packages") }).Succeeded();

        Assert.Contains("DataBuild: built greet greetings/world", result.Output);
        // Jobs run in the graph project's folder, where the graph also keeps its event log.
        Assert.Equal("hello world\n", File.ReadAllText(_folder.Combine("user", "out", "greetings", "world")));
        Assert.True(File.Exists(_folder.Combine("user", ".databuild", "bel.sqlite")));
    }
}
