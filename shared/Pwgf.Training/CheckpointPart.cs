using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Training;

/// <summary>
/// One named piece of a session's checkpoint: how it is written and read back. A session's parts are written one
/// after another in the order of its list, with no names or lengths in the bytes (<see cref="SessionCheckpoint"/>
/// guards the layout with a format version); the names say which part a checkpoint that cannot be read ends in.
/// </summary>
public sealed record CheckpointPart(string Name, Action<BinaryWriter> Save, Action<BinaryReader> Load)
{
    /// <summary>Tensors written in order and copied back into the same tensors (parameters, running sums).</summary>
    public static CheckpointPart Tensors(string name, IReadOnlyList<Tensor> tensors) => new(name,
        writer =>
        {
            foreach (var tensor in tensors) tensor.Save(writer);
        },
        reader =>
        {
            using var _ = no_grad();
            foreach (var tensor in tensors)
            {
                using var saved = Tensor.Load(reader);
                tensor.copy_(saved);
            }
        });

    /// <summary>A random stream's state, so a resumed run draws the samples the uninterrupted one would have.</summary>
    public static CheckpointPart Generator(string name, Generator generator) => new(name,
        writer =>
        {
            using var state = generator.get_state();
            state.Save(writer);
        },
        reader =>
        {
            using var state = Tensor.Load(reader);
            generator.set_state(state);
        });

    /// <summary>A counter held in a field of the session.</summary>
    public static CheckpointPart Int32(string name, Func<int> get, Action<int> set) => new(name,
        writer => writer.Write(get()),
        reader => set(reader.ReadInt32()));
}
