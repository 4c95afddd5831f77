namespace DataBuild.Events;

/// <summary>The schema version written on every new event (BuildEvent.schema_version).</summary>
public static class EventSchema
{
    public const uint CurrentVersion = 1;
}
