namespace DataBuild.Events.Storage;

/// <summary>
/// One step of an SQL backend's BEL schema: the SQL that takes a log from <see cref="Version"/> - 1 to
/// <see cref="Version"/>. A step is never edited once released: a change is a new step, which every log applies
/// once, on its next open.
/// </summary>
public sealed record SqlSchemaStep(int Version, string Sql)
{
    /// <summary>
    /// The newest version of <paramref name="steps"/>, which must be numbered 1, 2, 3… oldest first, so every log
    /// that has version N has exactly the first N steps.
    /// </summary>
    public static int Newest(IReadOnlyList<SqlSchemaStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        for (var i = 0; i < steps.Count; i++)
        {
            if (steps[i].Version != i + 1)
                throw new ArgumentException($"schema step {i} has version {steps[i].Version}, not {i + 1}: steps are numbered from 1, oldest first", nameof(steps));
        }
        return steps.Count;
    }

    /// <summary>The steps a log at version <paramref name="applied"/> lacks, oldest first.</summary>
    public static IEnumerable<SqlSchemaStep> Pending(IReadOnlyList<SqlSchemaStep> steps, long applied) => steps.Where(s => s.Version > applied);

    /// <summary>
    /// The refusal of a log whose schema version is newer than this build knows: it may have changed in ways this
    /// version would misread, so it is not opened at all. <paramref name="log"/> names it (a path, a schema).
    /// </summary>
    public static InvalidDataException WrittenByNewer(string log, long version, int newest) =>
        new($"{log} was written by a newer DataBuild (BEL schema version {version}); this version reads up to {newest}. Upgrade DataBuild to read it.");
}
