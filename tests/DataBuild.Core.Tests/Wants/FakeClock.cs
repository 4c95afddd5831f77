namespace DataBuild.Core.Tests.Wants;

/// <summary>The real clock moved forward on demand, so TTLs and SLAs pass at once while builds still run in real time.</summary>
internal sealed class FakeClock : TimeProvider
{
    private TimeSpan _ahead;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _ahead;

    public void Advance(TimeSpan by) => _ahead += by;
}
