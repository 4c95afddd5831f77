namespace DataBuild.Events;

/// <summary>
/// A committed event that is not a correct next state (written by hand, by another tool, or by a version with
/// other rules): the validator and every view leave it out. <see cref="Reason"/> says what it breaks, with
/// control characters escaped, since it quotes the event.
/// </summary>
public sealed record SkippedEvent(long Index, string EventId, string Reason);

/// <summary>The result of reading a whole log through the validator: how many events it holds, and each it skips.</summary>
public sealed record LogCheck(long Events, IReadOnlyList<SkippedEvent> Skipped);
