using System.Runtime.CompilerServices;
using DataBuild.Events.Storage;
using DataBuild.Storage.Delta;
using DataBuild.Storage.Postgres;
using DataBuild.Storage.Sqlite;

namespace DataBuild.Storage.Tests;

/// <summary>This test host offers every backend to <see cref="EventStorage.Open"/>, as the CLI does.</summary>
internal static class StorageBackends
{
    [ModuleInitializer]
    internal static void Register() => EventStorage.Register(SqliteStorageProvider.Instance, PostgresStorageProvider.Instance, DeltaStorageProvider.Instance);
}
