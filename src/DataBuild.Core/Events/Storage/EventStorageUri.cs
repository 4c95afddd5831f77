namespace DataBuild.Events.Storage;

/// <summary>
/// A BEL URI split at its first colon (<c>sqlite:.databuild/bel.sqlite</c>), with what opening it needs: the
/// folder a relative path is taken from and where warnings go.
/// </summary>
public sealed class EventStorageUri
{
    private readonly string _supported;

    internal EventStorageUri(string text, string? baseDirectory, Action<string>? onWarning, string supported)
    {
        Text = text;
        var colon = text.IndexOf(':');
        Scheme = colon > 0 ? text[..colon] : "";
        Location = colon > 0 ? text[(colon + 1)..] : "";
        BaseDirectory = Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory());
        OnWarning = onWarning;
        _supported = supported;
    }

    /// <summary>The whole URI as given.</summary>
    public string Text { get; }

    public string Scheme { get; }

    /// <summary>What follows the scheme's colon: a path, a connection string.</summary>
    public string Location { get; }

    /// <summary>The absolute folder relative paths are resolved against.</summary>
    public string BaseDirectory { get; }

    /// <summary>Receives problems that do not stop the log; null for the backend's default (standard error).</summary>
    public Action<string>? OnWarning { get; }

    /// <summary>The location as an absolute path, or the "has no path" refusal when it is blank.</summary>
    public string ResolvePath()
    {
        if (string.IsNullOrWhiteSpace(Location)) throw Refused($"BEL storage '{Text}' has no path");
        return Path.GetFullPath(Location, BaseDirectory);
    }

    /// <summary>
    /// The error for a URI that cannot be opened: <paramref name="problem"/>, then the supported URIs, so every
    /// backend's refusals read alike. Leave secrets (passwords) out of <paramref name="problem"/>.
    /// </summary>
    public ArgumentException Refused(string problem, Exception? cause = null) =>
        new($"{problem}. Supported: {_supported}.", "uri", cause);
}
