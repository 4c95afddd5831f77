using System.Xml;
using System.Xml.Linq;

namespace DataBuild.Tasks;

/// <summary>
/// Where an item is declared: the line and column of its element in the project file, found by its item type and
/// its Include as written. MSBuild gives tasks an item's project file but not its line, so errors about an item are
/// located by reading that file. An Include computed from properties or globs is not found: (0, 0), the file alone.
/// </summary>
internal sealed class ItemLocations
{
    private readonly Dictionary<string, ILookup<(string Type, string Include), (int Line, int Column)>> _files = new(StringComparer.Ordinal);

    /// <summary>The <paramref name="occurrence"/>-th declaration (0 the first, -1 the last) of the item, or (0, 0).</summary>
    public (int Line, int Column) Of(string projectFile, string itemType, string include, int occurrence = 0)
    {
        if (projectFile.Length == 0) return (0, 0);
        if (!_files.TryGetValue(projectFile, out var items)) _files[projectFile] = items = Read(projectFile);
        var found = items[(itemType, include)].ToArray();
        if (found.Length == 0) return (0, 0);
        return occurrence < 0 || occurrence >= found.Length ? found[^1] : found[occurrence];
    }

    private static ILookup<(string, string), (int, int)> Read(string projectFile)
    {
        try
        {
            var document = XDocument.Load(projectFile, LoadOptions.SetLineInfo);
            return document.Descendants()
                .SelectMany(e => (((string?)e.Attribute("Include")) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(include => (Key: (e.Name.LocalName, include), At: (((IXmlLineInfo)e).LineNumber, ((IXmlLineInfo)e).LinePosition))))
                .ToLookup(x => x.Key, x => x.At);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
        {
            return Array.Empty<((string, string), (int, int))>().ToLookup(x => x.Item1, x => x.Item2);
        }
    }
}
