namespace DataBuild.Events.Storage;

/// <summary>
/// Opens a BEL backend from its URI (DESIGN.md §6), by the one registry of backends: Core's own
/// <c>file:&lt;path&gt;</c> (JSON lines) and whatever the host registered (the CLI: SQLite and PostgreSQL).
/// </summary>
public static class EventStorage
{
    private static readonly object Lock = new();
    private static volatile IReadOnlyList<IEventStorageProvider> _providers = [new JsonLinesStorageProvider()];

    /// <summary>The URIs the registered backends accept, as error messages list them.</summary>
    public static string Supported => string.Join(", ", _providers.Select(p => p.Usage));

    /// <summary>
    /// Offers <paramref name="providers"/>' schemes to <see cref="Open"/>. Registering a provider again is a no-op;
    /// a second, different provider for a scheme already taken is refused with <see cref="InvalidOperationException"/>.
    /// </summary>
    public static void Register(params IEventStorageProvider[] providers)
    {
        lock (Lock)
        {
            var registered = _providers.ToList();
            foreach (var provider in providers)
            {
                ArgumentNullException.ThrowIfNull(provider);
                var taken = registered.FirstOrDefault(p => p.Scheme == provider.Scheme);
                if (taken is null) registered.Add(provider);
                else if (taken.GetType() != provider.GetType())
                    throw new InvalidOperationException($"BEL storage scheme '{provider.Scheme}:' is already served by {taken.GetType().Name}, not {provider.GetType().Name}.");
            }
            _providers = registered;
        }
    }

    /// <summary>
    /// Opens <paramref name="uri"/> with the backend its scheme names (<c>sqlite:&lt;path&gt;</c>,
    /// <c>file:&lt;path&gt;</c>, <c>postgres:&lt;connection string&gt;</c> when registered); a relative path is
    /// resolved against <paramref name="baseDirectory"/> (the current directory when null). Warnings that do not
    /// stop the log (a torn last batch in a file) go to <paramref name="onWarning"/>, standard error by default.
    /// Throws <see cref="ArgumentException"/> naming the URI and the supported schemes when no backend takes it,
    /// and <see cref="EventStorageUnavailableException"/> when a log's server cannot be reached.
    /// </summary>
    public static IEventStorage Open(string uri, string? baseDirectory = null, Action<string>? onWarning = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var providers = _providers;
        var parsed = new EventStorageUri(uri, baseDirectory, onWarning, Supported);
        var provider = providers.FirstOrDefault(p => p.Scheme == parsed.Scheme)
            ?? throw parsed.Refused($"BEL storage '{uri}' is not a supported URI");
        return provider.Open(parsed);
    }
}
