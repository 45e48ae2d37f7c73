using Pwgf.Training;

namespace Pwgf.IntegrationTests.Training;

/// <summary>The checkpoint header: a worker resumes only from state in the layout it writes itself.</summary>
public sealed class SessionCheckpointTests
{
    private static readonly RunConfiguration Configuration = VaeSessionTests.Configuration("bernoulli-vae", "disarm", steps: 10);

    [Fact]
    public void A_checkpoint_starts_with_the_magic_number_and_the_format_version()
    {
        using var session = VaeSessionTests.Start(Configuration);
        byte[] checkpoint = SessionCheckpoint.Capture(session);

        Assert.Equal("PWGFCKPT"u8.ToArray(), checkpoint[..8]);
        Assert.Equal(SessionCheckpoint.FormatVersion, BitConverter.ToInt32(checkpoint, 8));
        using var resumed = VaeSessionTests.Start(Configuration);
        SessionCheckpoint.Restore(resumed, checkpoint); // the whole state is read back, no more and no less
    }

    [Fact]
    public void State_without_the_header_is_refused_with_what_to_do()
    {
        using var session = VaeSessionTests.Start(Configuration);
        byte[] headerless = SessionCheckpoint.Capture(session)[12..];

        using var resumed = VaeSessionTests.Start(Configuration);
        var error = Assert.Throws<CheckpointFormatException>(() => SessionCheckpoint.Restore(resumed, headerless));
        Assert.Contains("no format header", error.Message);
        Assert.Contains("Submit its configuration again", error.Message);
        Assert.Throws<CheckpointFormatException>(() => SessionCheckpoint.Restore(resumed, []));
    }

    [Fact]
    public void Another_format_version_is_refused()
    {
        using var session = VaeSessionTests.Start(Configuration);
        byte[] checkpoint = SessionCheckpoint.Capture(session);
        BitConverter.GetBytes(SessionCheckpoint.FormatVersion + 1).CopyTo(checkpoint, 8);

        using var resumed = VaeSessionTests.Start(Configuration);
        var error = Assert.Throws<CheckpointFormatException>(() => SessionCheckpoint.Restore(resumed, checkpoint));
        Assert.Contains($"format {SessionCheckpoint.FormatVersion + 1}", error.Message);
    }

    [Fact]
    public void State_longer_than_the_session_reads_is_refused()
    {
        // What a layout change without a new version would look like: the session stops before the end.
        using var session = VaeSessionTests.Start(Configuration);
        byte[] checkpoint = [.. SessionCheckpoint.Capture(session), 0, 0, 0, 0];

        using var resumed = VaeSessionTests.Start(Configuration);
        var error = Assert.Throws<CheckpointFormatException>(() => SessionCheckpoint.Restore(resumed, checkpoint));
        Assert.Contains("layout differs", error.Message);
    }
}
