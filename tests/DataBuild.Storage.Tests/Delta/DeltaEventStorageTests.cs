using DataBuild.Storage.Delta;

namespace DataBuild.Storage.Tests;

public sealed class DeltaEventStorageTests : EventStorageConformanceTests
{
    protected override string Uri => $"delta:{TablePath}";

    private string TablePath => Folder.Combine("bel");
}
