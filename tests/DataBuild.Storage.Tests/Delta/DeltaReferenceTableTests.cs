using DataBuild.Storage.Delta;

namespace DataBuild.Storage.Tests;

/// <summary>The reader replays tables Spark, delta-rs and Delta 0.8 wrote to the state EXPECTED.json gives.</summary>
public sealed class DeltaReferenceTableTests
{
    public static TheoryData<string, bool> Tables => new()
    {
        { "simple_table", false },
        { "simple_table_with_checkpoint", false },
        { "simple_table_with_checkpoint", true },
        { "python-0.25.5-checkpoint", false },
        { "python-0.25.5-checkpoint", true },
        { "delta-0.8.0-partitioned", false },
    };

    [Theory]
    [MemberData(nameof(Tables))]
    public void Log_replay_reaches_the_expected_version_and_active_files(string name, bool fromCheckpoint)
    {
        var expected = DeltaReference.Expected(name);
        var log = new DeltaLog(DeltaReference.Table(name));

        var state = log.Replay(useCheckpoint: fromCheckpoint);

        Assert.Equal(fromCheckpoint ? log.LastCheckpointVersion() : null, state.StartedFromCheckpoint);
        if (fromCheckpoint) Assert.NotNull(state.StartedFromCheckpoint);
        Assert.Equal(expected.GetProperty("latestVersion").GetInt64(), state.Version);
        Assert.Equal(expected.GetProperty("activeFiles").EnumerateArray().Select(f => f.GetString()!).Order(StringComparer.Ordinal),
            state.ActiveFiles.Select(f => f.Path).Order(StringComparer.Ordinal));
        Assert.Equal(expected.GetProperty("partitionColumns").EnumerateArray().Select(c => c.GetString()), state.Metadata!.PartitionColumns);
        Assert.Equal((1, 2), (state.Protocol!.MinReaderVersion, state.Protocol.MinWriterVersion));
        Assert.All(state.ActiveFiles, f => Assert.True(File.Exists(Path.Combine(log.TableFolder, f.Path)), $"{f.Path} is missing"));
    }

    [Fact]
    public void Partition_values_of_each_active_file_match_its_path()
    {
        var state = new DeltaLog(DeltaReference.Table("delta-0.8.0-partitioned")).Replay();

        Assert.All(state.ActiveFiles, file =>
            Assert.Equal(Path.GetDirectoryName(file.Path)!.Replace('\\', '/'), $"year={file.PartitionValues["year"]}/month={file.PartitionValues["month"]}/day={file.PartitionValues["day"]}"));
    }

    [Fact]
    public void Stats_of_a_checkpointed_file_give_its_row_count_and_min_max()
    {
        var state = new DeltaLog(DeltaReference.Table("python-0.25.5-checkpoint")).Replay(useCheckpoint: true);

        var stats = state.ActiveFiles.Select(f => f.ParsedStats).OfType<DeltaStats>().ToList();
        Assert.NotEmpty(stats);
        Assert.All(stats, s => Assert.True(s.NumRecords > 0 && s.MinLong("x") <= s.MaxLong("x")));
    }

    [Fact]
    public void A_checkpoint_DataBuild_writes_reads_back_as_the_state_it_holds()
    {
        using var folder = new TempFolder();
        using (var storage = new DeltaEventStorage(folder.Path))
        {
            for (var i = 0; i < 3; i++) storage.Append(TestEvents.Many(2, $"b{i}-"));
            storage.Compact();
            storage.Append(TestEvents.Many(1, "last-"));
            Assert.Equal(4, storage.WriteCheckpoint());
        }
        var log = new DeltaLog(folder.Path);

        var fromJson = log.Replay(useCheckpoint: false);
        var fromCheckpoint = log.Replay(useCheckpoint: true);

        Assert.Equal(4, fromCheckpoint.StartedFromCheckpoint);
        Assert.Equal(fromJson.ActiveFiles.OrderBy(f => f.Path).Select(f => (f.Path, f.Size, f.Stats)), fromCheckpoint.ActiveFiles.OrderBy(f => f.Path).Select(f => (f.Path, f.Size, f.Stats)));
        Assert.Equal(fromJson.Tombstones.Select(r => r.Path).Order(), fromCheckpoint.Tombstones.Select(r => r.Path).Order());
        Assert.Equal(fromJson.Metadata!.SchemaString, fromCheckpoint.Metadata!.SchemaString);
        Assert.Equal("true", fromCheckpoint.Metadata.Configuration["delta.appendOnly"]);
    }
}
