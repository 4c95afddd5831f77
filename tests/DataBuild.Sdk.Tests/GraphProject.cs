namespace DataBuild.Sdk.Tests;

/// <summary>Writes graph projects that use the SDK from source, with a bash job that does nothing but answer configure.</summary>
public static class GraphProject
{
    public const string NoOpJob = """
        #!/usr/bin/env bash
        # Answers configure with one config per ref; exec builds nothing.
        set -euo pipefail
        verb="$1"; shift
        if [ "$verb" = configure ]; then
          printf '{"configs":['
          first=1
          for ref in "$@"; do
            [ "$first" = 1 ] || printf ','
            first=0
            printf '{"outputs":[{"str":"%s"}],"inputs":[],"args":[],"env":{}}' "$ref"
          done
          printf ']}\n'
        fi
        """;

    /// <summary>A project file whose body (items, properties) is <paramref name="body"/>.</summary>
    public static string FromSource(string body) => $"""
        <Project>
        {SdkFromSource.PropsImport}
        {body}
        {SdkFromSource.TargetsImport}
        </Project>
        """;
}
