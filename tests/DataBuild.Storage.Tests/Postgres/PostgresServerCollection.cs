namespace DataBuild.Storage.Tests;

/// <summary>
/// The test classes that use the PostgreSQL server run one after another: one of them restarts the
/// server, which would break the others' connections mid-test.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresServerCollection
{
    public const string Name = "PostgreSQL server";
}
