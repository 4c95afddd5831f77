namespace DataBuild.Job.Tests;

public sealed class PublicApiTests
{
    // The library adds the job-facing API and nothing else: the schema and the pattern implementation are
    // DataBuild.Contracts', compiled once, so a project referencing Core and DataBuild.Job (this test project is
    // one) sees one DataBuild.Proto.JobConfig. A second copy here would fail such a project's compile.
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
    public void The_schema_and_the_ref_patterns_come_from_the_contracts_assembly_alone()
    {
        var contracts = typeof(DataBuild.Refs.PartitionPattern).Assembly;

        Assert.Equal("DataBuild.Contracts", contracts.GetName().Name);
        Assert.Same(contracts, typeof(DataBuild.Proto.JobConfig).Assembly);
        Assert.Contains(contracts.GetName().Name, typeof(JobHost).Assembly.GetReferencedAssemblies().Select(a => a.Name));
        Assert.All(contracts.GetExportedTypes(), type => Assert.True(type.Namespace is "DataBuild.Proto" or "DataBuild.Refs", type.FullName));
        // RefPattern is the job-facing name of the graph's own pattern, not a second implementation.
        Assert.Equal("reviews/date={date}", new RefPattern("reviews/date={date}").Pattern.Text);
    }

    [Fact]
    public void A_missing_dependencies_report_must_name_what_is_missing_and_what_it_blocks()
    {
        Assert.Throws<ArgumentException>(() => new MissingDependenciesException(impacted: ["out"], missing: []));
        Assert.Throws<ArgumentException>(() => new MissingDependenciesException(impacted: [], missing: ["in"]));
    }
}
