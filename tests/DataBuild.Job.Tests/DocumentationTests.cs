namespace DataBuild.Job.Tests;

public sealed class DocumentationTests
{
    // The contract page shows the example jobs in full; the tests run the files, so the page must match them.
    [Theory]
    [InlineData("docs/examples/numbers-job.sh")]
    [InlineData("tests/DataBuild.Job.Example/Program.cs")]
    [InlineData("tests/DataBuild.Job.Example/NumbersJob.cs")]
    public void The_job_contract_page_shows_the_example_jobs_as_they_are(string example)
    {
        var page = File.ReadAllText(InRepository("docs/job-contract.md")).ReplaceLineEndings("\n");

        Assert.Contains(File.ReadAllText(InRepository(example)).ReplaceLineEndings("\n"), page);
    }

    private static string InRepository(string path)
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(folder.FullName, "DataBuild.sln")))
            folder = folder.Parent ?? throw new DirectoryNotFoundException($"no DataBuild.sln above {AppContext.BaseDirectory}");
        return Path.Combine(folder.FullName, path);
    }
}
