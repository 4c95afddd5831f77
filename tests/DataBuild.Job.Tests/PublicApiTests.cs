namespace DataBuild.Job.Tests;

public sealed class PublicApiTests
{
    // The generated schema types must stay internal: a project referencing Core and DataBuild.Job would
    // otherwise see two public DataBuild.Proto.JobConfig types and fail to compile. This test project is
    // such a project; this test names the rule.
    [Fact]
    public void The_library_exports_only_its_own_small_api()
    {
        var exported = typeof(JobHost).Assembly.GetExportedTypes().Select(type => type.FullName).Order();

        Assert.Equal(
        [
            "DataBuild.Job.AtomicFile",
            "DataBuild.Job.DependencyType",
            "DataBuild.Job.IDataBuildJob",
            "DataBuild.Job.JobHost",
            "DataBuild.Job.JobInput",
            "DataBuild.Job.JobRun",
            "DataBuild.Job.MissingDependenciesException",
            "DataBuild.Job.RefPattern",
            "DataBuild.Job.RunConfig",
        ], exported);
    }

    [Fact]
    public void A_missing_dependencies_report_must_name_what_is_missing_and_what_it_blocks()
    {
        Assert.Throws<ArgumentException>(() => new MissingDependenciesException(impacted: ["out"], missing: []));
        Assert.Throws<ArgumentException>(() => new MissingDependenciesException(impacted: [], missing: ["in"]));
    }
}
