namespace DataBuild.Events;

/// <summary>The schema version written on every new event (BuildEvent.schema_version).</summary>
public static class EventSchema
{
    public const uint CurrentVersion = 1;
}

/// <summary>
/// The layout of a <see cref="Proto.ViewSnapshot"/>: what the views and the validator hold and how they are
/// written down. Bump it with any change to a view's or the validator's state or to its snapshot mapping; a
/// snapshot of another version is ignored and the log folded instead (docs/event-log.md#snapshots).
/// </summary>
public static class ViewSchema
{
    public const int CurrentVersion = 5;
}
