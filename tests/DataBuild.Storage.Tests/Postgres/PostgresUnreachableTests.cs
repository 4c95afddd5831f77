using System.Net;
using System.Net.Sockets;
using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Storage.Postgres;

namespace DataBuild.Storage.Tests;

/// <summary>Opening a PostgreSQL log whose server is not there: no server needed, which is the point.</summary>
public sealed class PostgresUnreachableTests
{
    [Fact]
    public void A_port_nobody_listens_on_is_retried_with_one_warning_then_refused_naming_host_and_port()
    {
        var port = ClosedPort();
        var warnings = new List<string>();

        var error = Assert.Throws<EventStorageUnavailableException>(() =>
            new PostgresEventStorage($"Host=127.0.0.1;Port={port};Username=databuild;Password=s3cret-pw", TimeSpan.FromSeconds(1), warnings.Add));

        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("s3cret-pw", error.Message);
        var warning = Assert.Single(warnings);
        Assert.Contains($"127.0.0.1:{port} does not answer", warning);
        Assert.Contains("retrying for up to 1 s", warning);
    }

    [Fact]
    public void A_host_that_does_not_exist_is_refused_at_once_without_retrying()
    {
        var warnings = new List<string>();

        var error = Assert.Throws<EventStorageUnavailableException>(() =>
            EventStorage.Open("postgres:Host=no-such-host.invalid;Username=databuild", onWarning: warnings.Add));

        Assert.Contains("cannot open the BEL postgres:", error.Message);
        Assert.Contains("no-such-host.invalid:5432", error.Message);
        Assert.Empty(warnings);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
