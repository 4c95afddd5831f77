using System.Text.Json.Nodes;
using DataBuild.Events;
using DataBuild.Wants;

namespace DataBuild.Cli;

/// <summary>The JSON shape of a want in <c>want --json</c> and <c>wants --json</c>.</summary>
public static class WantJson
{
    public static string StateName(WantState state) => state.ToString().ToLowerInvariant();

    public static string SlaName(SlaState sla) => sla switch
    {
        SlaState.OnTime => "on_time",
        SlaState.AtRisk => "at_risk",
        SlaState.Missed => "missed",
        _ => "none",
    };

    public static JsonObject Of(WantReport report)
    {
        var w = report.Want;
        return new JsonObject
        {
            ["wantId"] = w.WantId,
            ["state"] = StateName(report.State),
            ["sla"] = SlaName(report.Sla),
            ["failing"] = report.Failing,
            ["note"] = report.Note,
            ["partitions"] = Output.Array(w.Partitions),
            ["missing"] = Output.Array(report.Missing),
            ["parentWantId"] = w.ParentWantId,
            ["rootWantId"] = w.RootWantId,
            ["ttlSeconds"] = w.TtlSeconds,
            ["slaSeconds"] = w.SlaSeconds,
            ["createdAt"] = Time(w.CreatedAt),
            ["expiresAt"] = Time(w.ExpiresAt),
            ["slaDeadline"] = Time(w.SlaDeadline),
            ["slaMissedAt"] = Time(w.SlaMissedAt),
            ["slaMissedMessage"] = w.SlaMissedMessage,
            ["endedAt"] = Time(w.EndedAt),
            ["message"] = w.Message,
            ["requestedBy"] = w.RequestedBy,
            ["reason"] = w.Reason,
            ["buildRequestId"] = w.BuildRequestId,
        };
    }

    private static string Time(DateTimeOffset? time) => time is { } t ? Output.Time(BuildEventLog.UnixNanos(t)) : "";
}
