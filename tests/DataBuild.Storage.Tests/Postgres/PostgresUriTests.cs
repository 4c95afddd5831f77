using System.Data.Common;
using System.Net;
using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Storage.Postgres;
using Npgsql;

namespace DataBuild.Storage.Tests;

/// <summary>The postgres:// URI form, which has no ';' for MSBuild or a shell to split.</summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresUriTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    [Fact]
    public void A_uri_names_user_password_host_port_database_and_settings()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresUri.ToConnectionString("//data%20build:p%40ss@db.example:6543/bel?sslmode=require&application_name=nightly"));

        Assert.Equal(("data build", "p@ss", "db.example", 6543, "bel"), (builder.Username, builder.Password, builder.Host, builder.Port, builder.Database));
        Assert.Equal(SslMode.Require, builder.SslMode);
        Assert.Equal("nightly", builder.ApplicationName);
    }

    [Fact]
    public void An_unreachable_uri_is_refused_naming_its_own_port_not_the_default()
    {
        var error = Assert.Throws<EventStorageUnavailableException>(() => EventStorage.Open("postgres://databuild@no-such-host.invalid:6543/bel"));

        Assert.Contains("no-such-host.invalid:6543", error.Message);
    }

    [Fact]
    public void A_log_opened_by_uri_is_the_log_its_connection_string_opens()
    {
        var written = database.NewSchema();
        var connectionString = new NpgsqlConnectionStringBuilder(written);
        // The settings the test database has beyond host, port, user and database (its schema), as URI parameters.
        var given = new DbConnectionStringBuilder { ConnectionString = written };
        var query = string.Join("&", given.Keys.Cast<string>()
            .Where(k => k.ToLowerInvariant() is not ("host" or "server" or "port" or "username" or "user id" or "password" or "database"))
            .Select(k => $"{WebUtility.UrlEncode(k)}={WebUtility.UrlEncode(given[k].ToString())}"));
        var user = WebUtility.UrlEncode(connectionString.Username) + (connectionString.Password is { } password ? ":" + WebUtility.UrlEncode(password) : "");
        var uri = $"postgres://{user}@{connectionString.Host}:{connectionString.Port}/{connectionString.Database}?{query}";

        using (var byUri = EventStorage.Open(uri)) byUri.Append(TestEvents.Many(3, "uri"));

        using var byConnectionString = EventStorage.Open($"postgres:{connectionString}");
        Assert.Equal(3, EventStorageConformanceTests.ReadAll(byConnectionString).Count);
    }
}
