using DataBuild.Job;

namespace PodcastReviews;

/// <summary>One category on one day: the values of every <c>…/category={category}/date={date}</c> ref.</summary>
public readonly record struct CategoryDay(string Category, string Date)
{
    /// <exception cref="FormatException">The ref does not match <paramref name="pattern"/>, or a value is malformed.</exception>
    public static CategoryDay Of(RefPattern pattern, string partitionRef)
    {
        var values = pattern.Captures(partitionRef);
        return new CategoryDay(PartitionValues.Category(values["category"]), PartitionValues.Date(values["date"]));
    }
}
