using System.Runtime.CompilerServices;
using DataBuild.Events.Storage;
using DataBuild.Storage.Sqlite;

namespace DataBuild.Core.Tests;

/// <summary>This test host offers the default backend, SQLite, to <see cref="EventStorage.Open"/>, as the CLI does.</summary>
internal static class StorageBackends
{
    [ModuleInitializer]
    internal static void Register() => EventStorage.Register(SqliteStorageProvider.Instance);
}
