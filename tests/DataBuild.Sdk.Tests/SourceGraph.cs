namespace DataBuild.Sdk.Tests;

/// <summary>
/// A graph project outside the repository that uses the SDK from source, built once and shared by the tests of
/// a class: a bash job makes letters/{n}; a C# job (its own project, on DataBuild.Job) makes words/{n} from
/// letters/{n}, and fails on purpose for n=13. Each run records itself in a file of its own under data/runs/.
/// </summary>
public sealed class SourceGraph : IDisposable
{
    private readonly TempFolder _folder = new();

    public SourceGraph()
    {
        _folder.Write("graph/jobs/letters.sh", LettersJob, executable: true);
        _folder.Write("words/Words.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{Repository.Path("src", "DataBuild.Job", "DataBuild.Job.csproj")}" />
                <!-- Native libraries for 30 platforms, as a job that writes SQLite has: a publish keeps one platform's. -->
                <PackageReference Include="SQLitePCLRaw.bundle_e_sqlite3" Version="3.0.3" />
              </ItemGroup>
            </Project>
            """);
        _folder.Write("words/Program.cs", WordsJob);
        _folder.Write("graph/Graph.csproj", $$"""
            <Project>
            {{SdkFromSource.PropsImport}}
              <PropertyGroup>
                <DataBuildEnvironment>DATA_DIR={{DataDirectory}}</DataBuildEnvironment>
              </PropertyGroup>
              <ItemGroup>
                <DataBuildJob Include="letters" Command="jobs/letters.sh" Outputs="letters/{n}" Retries="1" />
                <DataBuildJob Include="words" Project="../words/Words.csproj" Outputs="words/{n}" TimeoutSeconds="120" ConfigureTimeoutSeconds="60" Version="1" />
              </ItemGroup>
            {{SdkFromSource.TargetsImport}}
            </Project>
            """);
        DotNet.Build(GraphDirectory).Succeeded();
    }

    public string GraphDirectory => _folder.Combine("graph");

    public string DataDirectory => _folder.Combine("data");

    public string Manifest => _folder.Combine("graph", "obj", "Debug", "net10.0", "graph.json");

    public TempFolder Folder => _folder;

    /// <summary>Each job run so far, as "job ref".</summary>
    /// <summary>One line per job exec. Each run writes its own file under runs/: .NET appends at the offset it
    /// opened at (no O_APPEND), so two runs appending to one shared log can overwrite each other's line.</summary>
    public IReadOnlyList<string> Runs()
    {
        var runs = Path.Combine(DataDirectory, "runs");
        return Directory.Exists(runs) ? Directory.GetFiles(runs).Select(f => File.ReadAllText(f).TrimEnd('\n')).ToArray() : [];
    }

    public string Read(string partitionRef) => File.ReadAllText(Path.Combine(DataDirectory, partitionRef));

    public void Dispose() => _folder.Dispose();

    private const string LettersJob = """
        #!/usr/bin/env bash
        # letters/{n}: a file holding "letter n".
        set -euo pipefail
        verb="$1"; shift
        case "$verb" in
        configure)
          printf '{"configs":['
          first=1
          for ref in "$@"; do
            [ "$first" = 1 ] || printf ','
            first=0
            printf '{"outputs":[{"str":"%s"}],"inputs":[],"args":["%s"],"env":{}}' "$ref" "$ref"
          done
          printf ']}\n'
          ;;
        exec)
          ref="$1"
          mkdir -p "$DATA_DIR/letters"
          mkdir -p "$DATA_DIR/runs"
          echo "letters $ref" > "$(mktemp "$DATA_DIR/runs/XXXXXXXX")"
          echo "letter ${ref#letters/}" > "$DATA_DIR/$ref.tmp"
          mv "$DATA_DIR/$ref.tmp" "$DATA_DIR/$ref"
          ;;
        esac
        """;

    private const string WordsJob = """
        using DataBuild.Job;

        return JobHost.Run(args, new WordsJob());

        // words/{n}: letters/{n} in capitals.
        sealed class WordsJob : IDataBuildJob
        {
            private static readonly RefPattern Words = new("words/{n}");

            public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs) => refs.Select(r => new RunConfig
            {
                Outputs = [r],
                Inputs = [JobInput.Materialize($"letters/{Words.Captures(r)["n"]}")],
                Env = new Dictionary<string, string> { ["DATA_DIR"] = Environment.GetEnvironmentVariable("DATA_DIR")! },
            });

            public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
            {
                var data = run.Env["DATA_DIR"];
                var output = run.Outputs.Single();
                Directory.CreateDirectory(Path.Combine(data, "runs"));
                await File.WriteAllTextAsync(Path.Combine(data, "runs", Guid.NewGuid().ToString()), $"words {output}\n", cancellationToken);
                if (output == "words/13") throw new InvalidOperationException("13 is unlucky");
                var letters = await File.ReadAllTextAsync(Path.Combine(data, run.Inputs.Single().Ref), cancellationToken);
                await AtomicFile.WriteAllTextAsync(Path.Combine(data, output), letters.ToUpperInvariant(), cancellationToken);
            }
        }
        """;
}
