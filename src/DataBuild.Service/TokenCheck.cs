using System.Security.Cryptography;
using System.Text;

namespace DataBuild.Service;

/// <summary>The bearer token from <c>--token-file</c>, compared in constant time.</summary>
internal sealed class TokenCheck
{
    private readonly byte[] _expectedHash;

    private TokenCheck(string token) => _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public static TokenCheck? Load(string? tokenFile)
    {
        if (tokenFile is null) return null;
        string token;
        try
        {
            token = File.ReadAllText(tokenFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceStartException($"--token-file: cannot read '{tokenFile}': {e.Message}", e);
        }
        if (token.Length < 16)
            throw new ServiceStartException($"--token-file: the token in '{tokenFile}' is {(token.Length == 0 ? "empty" : "shorter than 16 characters")}; put a long random one there (e.g. openssl rand -hex 32)");
        if (token.Any(char.IsWhiteSpace))
            throw new ServiceStartException($"--token-file: the token in '{tokenFile}' holds whitespace; a bearer token is one word");
        return new TokenCheck(token);
    }

    /// <summary>True when <paramref name="authorization"/> is <c>Bearer &lt;the token&gt;</c>.</summary>
    public bool Accepts(string? authorization)
    {
        const string scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        // Hashes of equal length: the comparison's time says nothing about the token, not even its length.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(given, _expectedHash);
    }
}
