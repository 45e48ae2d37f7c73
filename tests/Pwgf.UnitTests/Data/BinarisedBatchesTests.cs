using Pwgf.Training.Data;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Data;

/// <summary>The VAE tasks' training batches: the law of the pixels and of the images drawn, and repeatability.</summary>
public sealed class BinarisedBatchesTests
{
    /// <summary>Images whose pixel j has intensity (j mod 11) / 10 clamped to 1, and whose first pixel names the image.</summary>
    private static ImageSet Images(int count, int height, int width)
    {
        int pixels = height * width;
        var data = new float[count * pixels];
        for (int i = 0; i < count; i++)
        {
            for (int j = 0; j < pixels; j++) data[i * pixels + j] = Math.Min(1f, (j % 11) / 10f);
            data[i * pixels] = i % 2;                   // pixel 0 is 0 or 1 with certainty: odd images light it
        }
        return new ImageSet(data, count, height, width);
    }

    private static float[] Values(Tensor batch) => batch.data<float>().ToArray();

    [Theory]
    [InlineData(28, 28)]
    [InlineData(5, 7)]          // 35 pixels: the last draw of every row is a partial one
    public void Each_pixel_is_one_with_probability_its_intensity(int height, int width)
    {
        var images = Images(count: 4, height, width);
        var batches = new BinarisedBatches(images, seed: 11);
        int pixels = height * width, rows = 0;
        var ones = new double[pixels];
        for (int b = 0; b < 400; b++)
        {
            using var batch = batches.Next(50, CPU);
            Assert.Equal([50L, pixels], batch.shape);
            var values = Values(batch);
            Assert.All(values, v => Assert.True(v is 0f or 1f));
            for (int r = 0; r < 50; r++, rows++)
            {
                for (int j = 1; j < pixels; j++) ones[j] += values[r * pixels + j];
            }
        }
        for (int j = 1; j < pixels; j++)
        {
            double p = Math.Min(1.0, (j % 11) / 10.0);
            double frequency = ones[j] / rows, tolerance = 5 * Math.Sqrt(p * (1 - p) / rows) + 1e-9;
            Assert.True(Math.Abs(frequency - p) <= tolerance, $"pixel {j}: frequency {frequency:F4}, intensity {p:F2}");
        }
    }

    [Fact]
    public void Images_are_drawn_uniformly_with_replacement()
    {
        // Ten images, pixel 0 on for the odd ones: over 20,000 draws the share of odd images is 1/2 within 5 SE.
        var batches = new BinarisedBatches(Images(count: 10, 4, 4), seed: 12);
        double odd = 0, draws = 0;
        for (int b = 0; b < 400; b++)
        {
            using var batch = batches.Next(50, CPU);
            var values = Values(batch);
            for (int r = 0; r < 50; r++, draws++) odd += values[r * 16];
        }
        Assert.InRange(odd / draws, 0.5 - 5 * Math.Sqrt(0.25 / draws), 0.5 + 5 * Math.Sqrt(0.25 / draws));
    }

    [Fact]
    public void The_stream_depends_only_on_the_seed_and_resumes_from_its_saved_state()
    {
        var images = Images(count: 7, 28, 28);
        var straight = new BinarisedBatches(images, seed: 13);
        var first = new BinarisedBatches(images, seed: 13);
        for (int i = 0; i < 3; i++)
        {
            using var a = straight.Next(20, CPU);
            using var b = first.Next(20, CPU);
            Assert.True(a.equal(b).all().item<bool>());
        }
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) first.Save(writer);
        var resumed = new BinarisedBatches(images, seed: 999);
        buffer.Position = 0;
        using (var reader = new BinaryReader(buffer)) resumed.Load(reader);

        using var expected = straight.Next(20, CPU);
        using var actual = resumed.Next(20, CPU);
        using var otherSeed = new BinarisedBatches(images, seed: 14).Next(20, CPU);
        Assert.True(actual.equal(expected).all().item<bool>());
        Assert.False(otherSeed.equal(expected).all().item<bool>());
    }
}
