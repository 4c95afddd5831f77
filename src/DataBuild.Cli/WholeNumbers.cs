using System.CommandLine.Parsing;
using System.Globalization;

namespace DataBuild.Cli;

/// <summary>
/// Parsers for whole-number options, set as their <c>CustomParser</c>: System.CommandLine's own message for a
/// value that is not a number names the .NET type (<c>System.Nullable`1[System.Int32]</c>), not the option's rule.
/// </summary>
public static class WholeNumbers
{
    public static int Int32(ArgumentResult result) => (int)Parse(result, int.MinValue, int.MaxValue);

    public static int? OptionalInt32(ArgumentResult result) => Int32(result);

    public static long Int64(ArgumentResult result) => Parse(result, long.MinValue, long.MaxValue);

    private static long Parse(ArgumentResult result, long minimum, long maximum)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
            return value;
        var option = result.Parent is OptionResult parent ? parent.Option.Name : result.Argument.Name;
        var digits = text.TrimStart('-', '+');
        result.AddError(digits.Length > 0 && digits.All(char.IsAsciiDigit)
            ? $"{option} must be a whole number from {minimum} to {maximum}, got '{text}'"
            : $"{option} must be a whole number, got '{text}'");
        return 0;
    }
}
