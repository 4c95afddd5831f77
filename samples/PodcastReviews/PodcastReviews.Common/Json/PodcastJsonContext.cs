using System.Text.Json.Serialization;
using PodcastReviews.Records;

namespace PodcastReviews.Json;

/// <summary>Compile-time JSON contracts for the records: no reflection, so each short-lived job starts faster.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Podcast))]
[JsonSerializable(typeof(Review))]
[JsonSerializable(typeof(CategorizedReview))]
[JsonSerializable(typeof(PhraseCount))]
[JsonSerializable(typeof(DailySummary))]
internal sealed partial class PodcastJsonContext : JsonSerializerContext;
