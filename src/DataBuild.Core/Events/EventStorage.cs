namespace DataBuild.Events;

public static class EventStorage
{
    public static IEventStorage Open(string uri, string? baseDirectory = null)
    {
        if (!uri.StartsWith("sqlite:")) throw new FormatException($"unsupported BEL URI '{uri}'");
        return new Storage.SqliteEventStorage(Path.Combine(baseDirectory ?? ".", uri["sqlite:".Length..]));
    }
}
