namespace DataBuild.Proto;

/// <summary>What callers ask of a <see cref="BuildResult"/> (the message of databuild.proto that `build --json` prints).</summary>
public static class BuildResults
{
    extension(BuildResult result)
    {
        public bool Succeeded => result.Status == BuildRequestStatus.BuildRequestCompleted;
    }
}
