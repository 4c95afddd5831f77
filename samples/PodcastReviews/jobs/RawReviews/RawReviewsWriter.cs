using DataBuild.Job;
using Microsoft.Data.Sqlite;
using PodcastReviews.Raw;
using PodcastReviews.Records;
using PodcastReviews.RawReviews.Generator;

namespace PodcastReviews.RawReviews;

/// <summary>
/// Writes the raw reviews database (<see cref="RawReviewsSchema"/>): built in a scratch file, then copied into
/// place atomically, so readers never see a half-filled database. Rows go in in one fixed order whatever the
/// source, so the same rows always give a byte-identical file.
/// </summary>
public static class RawReviewsWriter
{
    public static Task WriteGeneratedAsync(string target, SourceData data, CancellationToken cancellationToken) =>
        WriteAsync(target, database => Insert(database, data), cancellationToken);

    /// <summary>Copies the podcasts, categories and reviews of the database at <paramref name="source"/>.</summary>
    public static Task WriteCopyAsync(string target, string source, CancellationToken cancellationToken)
    {
        if (!File.Exists(source)) throw new FileNotFoundException($"the source database {source} does not exist", source);
        return WriteAsync(target, database => CopyFrom(database, source), cancellationToken);
    }

    private static async Task WriteAsync(string target, Action<SqliteConnection> fill, CancellationToken cancellationToken)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"raw-reviews-{Guid.NewGuid():N}.sqlite");
        try
        {
            using (var database = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = scratch, Pooling = false }.ToString()))
            {
                database.Open();
                // A scratch file needs no crash safety: it is thrown away unless complete.
                Execute(database, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
                Execute(database, RawReviewsSchema.CreateTables);
                fill(database);
                Execute(database, RawReviewsSchema.CreateIndexes);
            }
            await AtomicFile.WriteAsync(target, async (stream, token) =>
            {
                await using var file = File.OpenRead(scratch);
                await file.CopyToAsync(stream, token);
            }, cancellationToken);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    private static void Insert(SqliteConnection database, SourceData data)
    {
        using var transaction = database.BeginTransaction();
        using var podcast = Prepare(database, "INSERT INTO podcasts VALUES (@p1, @p2)", 2);
        using var category = Prepare(database, "INSERT INTO categories VALUES (@p1, @p2)", 2);
        using var review = Prepare(database, "INSERT INTO reviews VALUES (@p1, @p2, @p3, @p4, @p5)", 5);
        var podcasts = data.Podcasts.Order(RecordOrder.Podcasts).ToList();
        foreach (var p in podcasts) Run(podcast, p.PodcastId, p.Title);
        foreach (var p in podcasts)
            foreach (var name in p.Categories.Order(StringComparer.Ordinal)) Run(category, p.PodcastId, name);
        foreach (var r in data.Reviews.Order(RecordOrder.Reviews)) Run(review, r.PodcastId, r.Title, r.Body, r.Rating, r.CreatedAt);
        transaction.Commit();
    }

    // In the schema's row order, which Insert follows too.
    private static void CopyFrom(SqliteConnection database, string source)
    {
        using (var attach = database.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $source AS source";
            attach.Parameters.AddWithValue("$source", source);
            attach.ExecuteNonQuery();
        }
        using (var transaction = database.BeginTransaction())
        {
            Execute(database, $"""
                INSERT INTO podcasts SELECT podcast_id, title FROM source.podcasts ORDER BY {RawReviewsSchema.PodcastOrder};
                INSERT INTO categories SELECT podcast_id, category FROM source.categories ORDER BY {RawReviewsSchema.CategoryOrder};
                INSERT INTO reviews SELECT podcast_id, title, content, rating, created_at FROM source.reviews ORDER BY {RawReviewsSchema.ReviewOrder};
                """);
            transaction.Commit();
        }
        Execute(database, "DETACH DATABASE source");
    }

    private static SqliteCommand Prepare(SqliteConnection database, string sql, int parameters)
    {
        var command = database.CreateCommand();
        command.CommandText = sql;
        for (var i = 1; i <= parameters; i++) command.Parameters.Add(new SqliteParameter($"@p{i}", null));
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection database, string sql)
    {
        using var command = database.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
