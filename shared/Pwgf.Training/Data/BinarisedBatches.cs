using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Training.Data;

/// <summary>
/// The training batches of a VAE run: images drawn uniformly with replacement and binarised afresh, each pixel 1
/// with probability its intensity (dynamic binarisation, as in the DisARM and REBAR experiments).
/// <para>
/// A batch is built in one pass on the CPU from a random stream of its own, xoshiro128** (Blackman and Vigna) in
/// eight interleaved lanes, one uniform per pixel from the top 24 bits of a lane. This replaces randint,
/// index_select and bernoulli: libtorch draws a Bernoulli per element serially through its generator, which cost
/// about a sixth of a training step of the linear model. The stream depends only on the seed, so every estimator
/// of a comparison sees the same batches, and on no device, so a run resumed on another kind of worker continues
/// with the same batches. Its state (128 bytes) goes into checkpoints.
/// </para>
/// </summary>
public sealed class BinarisedBatches
{
    private const int Lanes = 8;
    private const float UnitScale = 1f / (1 << 24);

    private readonly ImageSet _images;
    private Vector256<uint> _s0, _s1, _s2, _s3;

    public BinarisedBatches(ImageSet images, ulong seed)
    {
        _images = images;
        // SplitMix64 spreads one 64-bit seed over the 4 x 8 words of state; the first word of each lane is odd, so
        // no lane starts from the all-zero state (from which xoshiro never leaves).
        Span<uint> words = stackalloc uint[4 * Lanes];
        ulong x = seed;
        for (int i = 0; i < words.Length; i += 2)
        {
            ulong z = x += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            words[i] = (uint)z;
            words[i + 1] = (uint)(z >> 32);
        }
        for (int lane = 0; lane < Lanes; lane++) words[lane] |= 1;
        SetState(words);
    }

    /// <summary>A [batchSize, pixels] float32 batch of 0s and 1s on <paramref name="device"/>.</summary>
    public Tensor Next(int batchSize, Device device)
    {
        int pixels = _images.PixelsPerImage;
        var batch = empty([batchSize, pixels], dtype: float32);
        var output = MemoryMarshal.Cast<byte, float>(batch.bytes);
        for (int row = 0; row < batchSize; row++)
        {
            Binarise(_images.Image(NextIndex(_images.Count)), output.Slice(row * pixels, pixels));
        }
        if (device.type == DeviceType.CPU) return batch;
        using (batch) return batch.to(device);
    }

    public void Save(BinaryWriter writer)
    {
        foreach (var word in State()) writer.Write(word);
    }

    public void Load(BinaryReader reader)
    {
        Span<uint> words = stackalloc uint[4 * Lanes];
        for (int i = 0; i < words.Length; i++) words[i] = reader.ReadUInt32();
        SetState(words);
    }

    private void Binarise(ReadOnlySpan<float> intensities, Span<float> output)
    {
        var one = Vector256.Create(1f);
        int j = 0;
        for (; j + Lanes <= intensities.Length; j += Lanes)
        {
            var uniform = NextUniform();
            var intensity = Vector256.Create(intensities.Slice(j, Lanes));
            (Vector256.GreaterThan(intensity, uniform) & one).CopyTo(output.Slice(j, Lanes));
        }
        if (j < intensities.Length)
        {
            var uniform = NextUniform();
            for (int k = 0; j + k < intensities.Length; k++) output[j + k] = intensities[j + k] > uniform[k] ? 1f : 0f;
        }
    }

    /// <summary>Uniform in [0, count) without bias (Lemire's multiply-and-reject), from lane 0 of one draw.</summary>
    private int NextIndex(int count)
    {
        uint threshold = (uint)(-count) % (uint)count;
        while (true)
        {
            ulong product = (ulong)NextBits().GetElement(0) * (uint)count;
            if ((uint)product >= threshold) return (int)(product >> 32);
        }
    }

    private Vector256<float> NextUniform() =>
        Vector256.ConvertToSingle((NextBits() >>> 8).AsInt32()) * UnitScale;

    /// <summary>One xoshiro128** step in every lane.</summary>
    private Vector256<uint> NextBits()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 9;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 11);
        return result;
    }

    private static Vector256<uint> RotateLeft(Vector256<uint> x, int k) => (x << k) | (x >>> (32 - k));

    private uint[] State()
    {
        var words = new uint[4 * Lanes];
        _s0.CopyTo(words, 0);
        _s1.CopyTo(words, Lanes);
        _s2.CopyTo(words, 2 * Lanes);
        _s3.CopyTo(words, 3 * Lanes);
        return words;
    }

    private void SetState(ReadOnlySpan<uint> words)
    {
        _s0 = Vector256.Create(words.Slice(0, Lanes));
        _s1 = Vector256.Create(words.Slice(Lanes, Lanes));
        _s2 = Vector256.Create(words.Slice(2 * Lanes, Lanes));
        _s3 = Vector256.Create(words.Slice(3 * Lanes, Lanes));
    }
}
