namespace DataBuild.Refs;

/// <summary>
/// Whether text is in Unicode normalization form C. The runtime cannot say: in invariant globalization mode
/// (Directory.Build.props) <see cref="string.IsNormalized()"/> does not look at non-ASCII text. This check
/// finds what NFC changes in practice: a code point NFC never contains (a singleton such as U+212B ANGSTROM
/// SIGN, or a composition exclusion), a character directly followed by a mark it composes with (the
/// decomposed, NFD, spelling of 'é'), and conjoining Hangul jamo that make a syllable. Marks out of canonical
/// order, or composing past another mark, are not detected.
/// </summary>
internal static class UnicodeNfc
{
    // No composition pair has a second code point below U+0300, and no code point below it is outside NFC.
    private const int FirstInteresting = 0x300;

    /// <summary>The index of the first character NFC would change or compose with the one before it, or -1.</summary>
    public static int FirstNotNfc(string text)
    {
        var previous = -1;
        for (var i = 0; i < text.Length; i++)
        {
            var isPair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var codePoint = isPair ? char.ConvertToUtf32(text[i], text[i + 1]) : text[i];
            if (codePoint >= FirstInteresting && (IsNeverInNfc(codePoint) || (previous >= 0 && Composes(previous, codePoint)))) return i;
            previous = codePoint;
            if (isPair) i++;
        }
        return -1;
    }

    private static bool IsNeverInNfc(int codePoint)
    {
        var ranges = UnicodeNfcTables.NeverInNfc;
        int low = 0, high = ranges.Length / 2 - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (codePoint < ranges[2 * middle]) high = middle - 1;
            else if (codePoint > ranges[2 * middle + 1]) low = middle + 1;
            else return true;
        }
        return false;
    }

    private static bool Composes(int first, int second) =>
        (first is >= 0x1100 and <= 0x1112 && second is >= 0x1161 and <= 0x1175)
        || (first is >= 0xAC00 and <= 0xD7A3 && (first - 0xAC00) % 28 == 0 && second is >= 0x11A8 and <= 0x11C2)
        || Array.BinarySearch(UnicodeNfcTables.Compositions, (long)first << 21 | (long)second) >= 0;
}
