using DataBuild.Events;

namespace DataBuild.Benchmarks;

/// <summary>A BEL of one backend in a folder of its own, deleted on dispose.</summary>
internal sealed class ScratchLog : IDisposable
{
    public const string Sqlite = "sqlite";
    public const string File = "file";
    public const string Postgres = "postgres";

    private const string PostgresVariable = "DATABUILD_TEST_POSTGRES";

    private readonly string _folder;

    private ScratchLog(string folder, IEventStorage storage)
    {
        _folder = folder;
        Storage = storage;
    }

    public IEventStorage Storage { get; }

    /// <summary>
    /// SQLite and file always; PostgreSQL when <c>DATABUILD_TEST_POSTGRES</c> holds a connection string and
    /// this build of DataBuild opens <c>postgres:</c> URIs. A skipped backend is said on standard error.
    /// </summary>
    public static IEnumerable<string> Backends()
    {
        yield return Sqlite;
        yield return File;
        if (PostgresUri() is not null) yield return Postgres;
    }

    public static ScratchLog Open(string backend)
    {
        var folder = Path.Combine(Path.GetTempPath(), "databuild-benchmarks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var uri = backend switch
        {
            Sqlite => $"sqlite:{Path.Combine(folder, "bel.sqlite")}",
            File => $"file:{Path.Combine(folder, "bel.jsonl")}",
            // PostgreSQL logs are shared with earlier runs: every stream tags its ids, so none collide.
            Postgres => PostgresUri() ?? throw new InvalidOperationException($"{PostgresVariable} is not set"),
            _ => throw new ArgumentException($"unknown backend '{backend}'", nameof(backend)),
        };
        return new ScratchLog(folder, EventStorage.Open(uri));
    }

    public void Dispose()
    {
        Storage.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string? PostgresUri()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(connection)) return null;
        var uri = $"postgres:{connection}";
        try
        {
            EventStorage.Open(uri).Dispose();
            return uri;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"skipping PostgreSQL: {e.Message}");
            return null;
        }
    }
}
