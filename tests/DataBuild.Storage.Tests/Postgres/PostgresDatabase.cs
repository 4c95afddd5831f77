using Npgsql;

namespace DataBuild.Storage.Tests;

/// <summary>
/// A fresh database on the test server (<see cref="ServerVariable"/>) for one test class, dropped with
/// everything in it afterwards; <see cref="NewSchema"/> gives each test an empty schema of its own in it.
/// Without a server it fails every test of the class with how to start one.
/// </summary>
public sealed class PostgresDatabase : IDisposable
{
    public const string ServerVariable = "DATABUILD_TEST_POSTGRES";

    private readonly string _admin;

    public PostgresDatabase()
    {
        var server = Environment.GetEnvironmentVariable(ServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"These tests need a PostgreSQL server and {ServerVariable} is not set. Run the tests with `bash scripts/test.sh`, " +
                "which starts a throwaway server, or start one yourself: `eval \"$(scripts/postgres.sh start)\"`, then `scripts/postgres.sh stop` when done.");
        // Unpooled: an idle admin connection would otherwise keep the database busy when it is dropped.
        _admin = new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ToString();
        Name = "databuild_test_" + Guid.NewGuid().ToString("N");
        Execute(_admin, $"CREATE DATABASE {Name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = Name }.ToString();
    }

    public string Name { get; }

    /// <summary>Connects to this database; the public schema is empty.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty schema and returns a (pooled) connection string whose search path is just it.</summary>
    public string NewSchema()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        Execute(ConnectionString, $"CREATE SCHEMA {schema}");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema, Pooling = true }.ToString();
    }

    public static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public static T Query<T>(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    public void Dispose() => Execute(_admin, $"DROP DATABASE IF EXISTS {Name} WITH (FORCE)");
}
