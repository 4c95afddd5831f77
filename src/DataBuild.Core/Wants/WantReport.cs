using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Wants;

public enum WantState
{
    Active,
    Satisfied,
    Expired,
    Cancelled,
}

public enum SlaState
{
    /// <summary>The want has no SLA.</summary>
    None,
    OnTime,
    /// <summary>Active and unsatisfied with less than a fifth of its SLA left, or with a partition whose last build failed.</summary>
    AtRisk,
    Missed,
}

/// <summary>
/// How a want stands at a moment, for people and scripts: its state, its SLA state, and a note saying what
/// it waits for or why it fails. An active want whose partition failed its last build is failing: it stays
/// active, and each reconcile pass tries again.
/// </summary>
public sealed record WantReport(WantInfo Want, WantState State, SlaState Sla, bool Failing, IReadOnlyList<string> Missing, string Note)
{
    private const double AtRiskShare = 0.2;

    public static WantReport Of(WantInfo want, PartitionCatalog catalog, GraphLookup lookup, DateTimeOffset now)
    {
        var state = want.Status switch
        {
            WantStatus.WantSatisfied => WantState.Satisfied,
            WantStatus.WantExpired => WantState.Expired,
            WantStatus.WantCancelled => WantState.Cancelled,
            _ => WantState.Active,
        };
        if (state != WantState.Active) return new WantReport(want, state, EndedSla(want), false, [], want.Message);

        var missing = WantRules.Missing(want, catalog);
        var problems = new List<string>();
        var building = new List<string>();
        foreach (var partition in missing)
        {
            var status = catalog.Get(partition);
            if (status?.Status == PartitionStatus.PartitionFailed)
                problems.Add($"{partition}: {(status.Message.Length > 0 ? status.Message : "its last build failed")}");
            else if (status?.Status == PartitionStatus.PartitionBuilding)
                building.Add(partition);
            else if (Unbuildable(lookup, partition) is { } why)
                problems.Add(why);
        }
        var failing = problems.Count > 0;
        var note = failing ? problems[0] + (problems.Count > 1 ? $" (and {problems.Count - 1} more failing)" : "")
            : building.Count > 0 ? $"building {WantRules.Describe(building)}"
            : missing.Count > 0 ? $"waiting for {WantRules.Describe(missing)}"
            : "every partition is available; the next reconcile pass marks it satisfied";
        return new WantReport(want, state, ActiveSla(want, failing, now), failing, missing, note);
    }

    private static SlaState EndedSla(WantInfo want) =>
        want.SlaDeadline is null ? SlaState.None : want.SlaMissedAt is not null ? SlaState.Missed : SlaState.OnTime;

    /// <summary>When <paramref name="want"/>'s SLA turns at risk by the clock alone (a fifth of it left); null without an SLA.</summary>
    public static DateTimeOffset? AtRiskAt(WantInfo want) =>
        want.SlaDeadline is { } deadline ? deadline - TimeSpan.FromSeconds(want.SlaSeconds) * AtRiskShare : null;

    private static SlaState ActiveSla(WantInfo want, bool failing, DateTimeOffset now)
    {
        if (want.SlaDeadline is not { } deadline) return SlaState.None;
        if (want.SlaMissedAt is not null || now >= deadline) return SlaState.Missed;
        return failing || now > AtRiskAt(want) ? SlaState.AtRisk : SlaState.OnTime;
    }

    private static string? Unbuildable(GraphLookup lookup, string partition)
    {
        try
        {
            lookup.Match(partition);
            return null;
        }
        catch (LookupException e)
        {
            return e.Problems[0].Message;
        }
    }
}
