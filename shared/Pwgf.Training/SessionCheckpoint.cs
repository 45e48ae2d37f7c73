namespace Pwgf.Training;

/// <summary>
/// The bytes of a checkpoint: a header (a magic number and the format version), then the session's own state, the
/// parts of <see cref="TrainingSession"/>'s named list one after another. Optimisers, estimators and batch streams
/// each write their state field by field, with no names or lengths, so a worker that read another layout as its own
/// would go wrong silently. The header lets it refuse instead, with a message saying what to do. Raise
/// <see cref="FormatVersion"/> whenever any saved layout changes (a part added, removed, reordered or rewritten).
/// </summary>
public static class SessionCheckpoint
{
    /// <summary>"PWGFCKPT" in ASCII, read as a little-endian 64-bit integer.</summary>
    private const ulong Magic = 0x54504B4346475750;

    /// <summary>
    /// 2: the project's own Adam state and the batch stream's state. Format 1 (TorchSharp's Adam state, libtorch
    /// Bernoulli batches) had no header.
    /// </summary>
    public const int FormatVersion = 2;

    /// <summary>The session's state behind the header.</summary>
    public static byte[] Capture(ITrainingSession session)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            session.Save(writer);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Loads what <see cref="Capture"/> wrote into a freshly started session of the same configuration. Throws
    /// <see cref="CheckpointFormatException"/> for another format, and when the session reads fewer bytes than
    /// were written (a layout that changed without a new version).
    /// </summary>
    public static void Restore(ITrainingSession session, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        if (state.Length < sizeof(ulong) + sizeof(int) || reader.ReadUInt64() != Magic)
        {
            throw new CheckpointFormatException(
                $"it has no format header, so it was written by a worker older than format {FormatVersion}");
        }
        int version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new CheckpointFormatException($"it is in format {version} and this worker reads format {FormatVersion}");
        }
        session.Load(reader);
        long left = state.Length - reader.BaseStream.Position;
        if (left != 0)
        {
            throw new CheckpointFormatException(
                $"the session read {reader.BaseStream.Position} of its {state.Length} bytes, so its layout differs from this worker's");
        }
    }
}

/// <summary>A checkpoint this worker cannot resume from; the message says why and what to do.</summary>
public sealed class CheckpointFormatException(string reason)
    : IOException(
        $"The run's checkpoint cannot be resumed: {reason}. Submit its configuration again to train it from the start.");
