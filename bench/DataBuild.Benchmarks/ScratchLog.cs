using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Storage.Delta;
using DataBuild.Storage.Postgres;
using DataBuild.Storage.Sqlite;
using Npgsql;

namespace DataBuild.Benchmarks;

/// <summary>
/// A BEL of one backend of its own, deleted on dispose: a file (or a Delta table) in a folder of its own, or a PostgreSQL
/// schema of its own, so a scan reads only the events its setup wrote.
/// </summary>
internal sealed class ScratchLog : IDisposable
{
    public const string Sqlite = "sqlite";
    public const string File = "file";
    public const string Postgres = "postgres";
    public const string Delta = "delta";

    private const string PostgresVariable = "DATABUILD_TEST_POSTGRES";

    private readonly string _folder;
    private readonly Action _drop;

    // Here rather than in Main: BenchmarkDotNet runs each benchmark in a process of its own making.
    static ScratchLog() => EventStorage.Register(SqliteStorageProvider.Instance, PostgresStorageProvider.Instance, DeltaStorageProvider.Instance);

    private ScratchLog(string folder, IEventStorage storage, Action drop)
    {
        _folder = folder;
        Storage = storage;
        _drop = drop;
    }

    public IEventStorage Storage { get; }

    /// <summary>
    /// SQLite, file and Delta always; PostgreSQL when <c>DATABUILD_TEST_POSTGRES</c> holds a connection string
    /// (<c>bench/run.sh</c> starts a server and sets it).
    /// </summary>
    public static IEnumerable<string> Backends()
    {
        yield return Sqlite;
        yield return File;
        yield return Delta;
        if (PostgresConnection() is not null) yield return Postgres;
    }

    public static ScratchLog Open(string backend)
    {
        var folder = Path.Combine(Path.GetTempPath(), "databuild-benchmarks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        switch (backend)
        {
            case Sqlite:
                return new ScratchLog(folder, EventStorage.Open($"sqlite:{Path.Combine(folder, "bel.sqlite")}"), () => { });
            case File:
                return new ScratchLog(folder, EventStorage.Open($"file:{Path.Combine(folder, "bel.jsonl")}"), () => { });
            case Delta:
                return new ScratchLog(folder, EventStorage.Open($"delta:{Path.Combine(folder, "bel")}"), () => { });
            case Postgres:
                var connection = PostgresConnection() ?? throw new InvalidOperationException($"{PostgresVariable} is not set");
                var schema = $"bench_{Guid.NewGuid():N}";
                Execute(connection, $"CREATE SCHEMA {schema}");
                var uri = $"postgres:{new NpgsqlConnectionStringBuilder(connection) { SearchPath = schema }}";
                return new ScratchLog(folder, EventStorage.Open(uri), () => Execute(connection, $"DROP SCHEMA {schema} CASCADE"));
            default:
                throw new ArgumentException($"unknown backend '{backend}'", nameof(backend));
        }
    }

    public void Dispose()
    {
        Storage.Dispose();
        _drop();
        Directory.Delete(_folder, recursive: true);
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static string? PostgresConnection()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        return string.IsNullOrWhiteSpace(connection) ? null : connection;
    }
}
