namespace DataBuild.Job;

/// <summary>
/// Thrown from <see cref="IDataBuildJob.ExecuteAsync"/> when inputs are absent. <see cref="JobHost"/> reports
/// it on the <c>DATABUILD_MISSING_DEPS_JSON:</c> line; the graph builds <see cref="Missing"/> and runs the
/// job again, so nothing is lost by reporting everything absent in one go.
/// </summary>
public sealed class MissingDependenciesException : Exception
{
    /// <param name="impacted">The outputs of this run that cannot be built without <paramref name="missing"/>.</param>
    /// <param name="missing">The absent refs.</param>
    public MissingDependenciesException(IReadOnlyList<string> impacted, IReadOnlyList<string> missing)
        : base($"missing dependencies {string.Join(", ", missing)} (needed by {string.Join(", ", impacted)})")
    {
        if (impacted.Count == 0) throw new ArgumentException("name at least one impacted output", nameof(impacted));
        if (missing.Count == 0) throw new ArgumentException("name at least one missing ref", nameof(missing));
        Impacted = impacted;
        Missing = missing;
    }

    public IReadOnlyList<string> Impacted { get; }

    public IReadOnlyList<string> Missing { get; }
}
