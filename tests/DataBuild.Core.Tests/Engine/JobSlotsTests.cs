using DataBuild.Engine;

namespace DataBuild.Core.Tests;

public sealed class JobSlotsTests
{
    [Fact]
    public async Task Slots_are_taken_up_to_the_capacity_and_a_return_wakes_a_waiter()
    {
        var slots = new JobSlots(2);
        Assert.True(slots.TryTake());
        Assert.True(slots.TryTake());
        Assert.False(slots.TryTake());
        var waiting = slots.WhenFreeAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        slots.Return();

        await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, slots.InUse);
        Assert.True(slots.WhenFreeAsync(CancellationToken.None).IsCompleted);
        Assert.True(slots.TryTake());
    }

    [Fact]
    public void Returning_a_slot_never_taken_is_a_bug_and_says_so()
    {
        var slots = new JobSlots(1);
        Assert.Throws<InvalidOperationException>(slots.Return);
        Assert.Throws<ArgumentOutOfRangeException>(() => new JobSlots(0));
    }
}
