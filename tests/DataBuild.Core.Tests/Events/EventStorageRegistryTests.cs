using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Storage.Sqlite;

namespace DataBuild.Core.Tests.Events;

public sealed class EventStorageRegistryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void A_registered_backend_opens_its_scheme_with_the_path_resolved_and_is_listed_once_however_often_registered()
    {
        EventStorage.Register(JournalProvider.Instance);
        EventStorage.Register(JournalProvider.Instance, SqliteStorageProvider.Instance);

        using var storage = EventStorage.Open("journal:logs/bel.jsonl", _folder.Path);

        Assert.Equal($"file:{_folder.Combine("logs", "bel.jsonl")}", storage.Description);
        Assert.Single(EventStorage.Supported.Split(", "), usage => usage == JournalProvider.Instance.Usage);
        var error = Assert.Throws<ArgumentException>(() => EventStorage.Open("journal:", _folder.Path));
        Assert.Contains("'journal:' has no path", error.Message);
        Assert.Contains("journal:<path>", error.Message);
    }

    [Fact]
    public void A_second_backend_for_a_scheme_already_served_is_refused_naming_both()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EventStorage.Register(new OtherSqlite()));

        Assert.Contains("'sqlite:'", error.Message);
        Assert.Contains(nameof(SqliteStorageProvider), error.Message);
        Assert.Contains(nameof(OtherSqlite), error.Message);
    }

    private sealed class JournalProvider : IEventStorageProvider
    {
        public static readonly JournalProvider Instance = new();

        public string Scheme => "journal";

        public string Usage => "journal:<path>";

        public IEventStorage Open(EventStorageUri uri) => new JsonLinesEventStorage(uri.ResolvePath(), uri.OnWarning);
    }

    private sealed class OtherSqlite : IEventStorageProvider
    {
        public string Scheme => "sqlite";

        public string Usage => "sqlite:<path>";

        public IEventStorage Open(EventStorageUri uri) => throw new NotSupportedException();
    }
}
