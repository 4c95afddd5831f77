namespace PodcastReviews.RawReviews.Generator;

/// <summary>
/// The shows the generator reviews: eight categories with six shows each, some listed under a second
/// category too (as real directories list them), and what listeners talk about in each category.
/// </summary>
internal static class PodcastShows
{
    public sealed record Show(string Title, string Category, string? AlsoIn = null);

    public static readonly IReadOnlyList<Show> All =
    [
        new("The Late Night Laugh", "comedy"),
        new("Punchline Parade", "comedy"),
        new("Two Friends One Mic", "comedy"),
        new("Dad Jokes Daily", "comedy"),
        new("Improv Island", "comedy"),
        new("Roast and Toast", "comedy", AlsoIn: "sports"),
        new("Cold Case Files", "true-crime"),
        new("Midnight Mysteries", "true-crime", AlsoIn: "comedy"),
        new("The Evidence Room", "true-crime"),
        new("Small Town Secrets", "true-crime"),
        new("Verdict Pending", "true-crime", AlsoIn: "news"),
        new("Missing in the Midwest", "true-crime"),
        new("The Morning Brief", "news"),
        new("World in Ten", "news"),
        new("Politics Unpacked", "news", AlsoIn: "education"),
        new("Headline Hour", "news"),
        new("The Daily Dispatch", "news"),
        new("Beyond the Headlines", "news"),
        new("Startup Stories", "business", AlsoIn: "technology"),
        new("The Money Hour", "business"),
        new("Side Hustle School", "business", AlsoIn: "education"),
        new("Market Movers", "business", AlsoIn: "news"),
        new("Founders at Work", "business"),
        new("The Negotiation Table", "business"),
        new("Byte Sized", "technology"),
        new("The Code Review", "technology", AlsoIn: "education"),
        new("Future Proof", "technology"),
        new("Gadget Garage", "technology"),
        new("Open Source Hour", "technology"),
        new("Machine Minds Today", "technology", AlsoIn: "news"),
        new("The Locker Room", "sports", AlsoIn: "comedy"),
        new("Full Court Press", "sports"),
        new("Fantasy Football Focus", "sports"),
        new("Ninety Minutes", "sports"),
        new("The Bullpen", "sports"),
        new("Game Day Breakdown", "sports"),
        new("History Unboxed", "education"),
        new("Science Simplified", "education", AlsoIn: "technology"),
        new("Learn Spanish Fast", "education"),
        new("The Curious Mind", "education"),
        new("Math for Grown-Ups", "education"),
        new("Philosophy on the Bus", "education"),
        new("Run Club Radio", "health-fitness"),
        new("Mindful Minutes", "health-fitness", AlsoIn: "education"),
        new("The Nutrition Desk", "health-fitness"),
        new("Sleep Better Tonight", "health-fitness"),
        new("Strong at Any Age", "health-fitness"),
        new("Yoga Break", "health-fitness"),
    ];

    /// <summary>What reviewers praise or criticise, by category; plural nouns, so "the {topic} are…" reads right.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Topics = new Dictionary<string, string[]>
    {
        ["comedy"] = ["jokes", "improv bits", "celebrity impressions", "listener stories", "running gags"],
        ["true-crime"] = ["case breakdowns", "detective interviews", "cold cases", "courtroom recaps", "research notes"],
        ["news"] = ["headlines", "expert interviews", "daily updates", "analysis segments", "fact checks"],
        ["business"] = ["founder interviews", "investing tips", "market recaps", "career stories", "money tips"],
        ["technology"] = ["gadget reviews", "coding tips", "product launches", "deep dives", "security stories"],
        ["sports"] = ["game breakdowns", "trade rumors", "player interviews", "fantasy picks", "hot takes"],
        ["education"] = ["history lessons", "science explainers", "vocabulary drills", "deep dives", "study tips"],
        ["health-fitness"] = ["workout tips", "guided meditations", "nutrition tips", "sleep routines", "training plans"],
    };
}
