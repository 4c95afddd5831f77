namespace DataBuild.Sdk.Tests;

/// <summary>The first and last lines of a project that uses DataBuild.Sdk from source, as the repository's own projects do.</summary>
public static class SdkFromSource
{
    public static string PropsImport => $"""
          <PropertyGroup><DataBuildFromSource>true</DataBuildFromSource></PropertyGroup>
          <Import Project="{Repository.Path("src", "DataBuild.Sdk", "Sdk", "Sdk.props")}" />
        """;

    public static string TargetsImport => $"""
          <Import Project="{Repository.Path("src", "DataBuild.Sdk", "Sdk", "Sdk.targets")}" />
        """;
}
