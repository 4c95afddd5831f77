using System.Reflection;

namespace DataBuild.Sdk.Tests;

/// <summary>Paths into the repository under test, which the temporary projects use the SDK from.</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    /// <summary>The first lines of a project that uses DataBuild.Sdk from source, as the repository's own projects do.</summary>
    public static string SdkPropsImport => $"""
          <PropertyGroup><DataBuildFromSource>true</DataBuildFromSource></PropertyGroup>
          <Import Project="{Path("src", "DataBuild.Sdk", "Sdk", "Sdk.props")}" />
        """;

    public static string SdkTargetsImport => $"""
          <Import Project="{Path("src", "DataBuild.Sdk", "Sdk", "Sdk.targets")}" />
        """;
}
