using Pwgf.Estimators;
using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using Pwgf.UnitTests.Support;
using static TorchSharp.torch;

namespace Pwgf.UnitTests.Estimators;

/// <summary>
/// gst and gst-p against the independent implementation of Fan et al.'s definition in <see cref="PublishedRules"/>,
/// sample by sample, on cases the conformance problems do not cover: many logit vectors at once, more classes, a
/// dominant class, near-ties, gaps from 0 to large, temperatures below and above 1.
/// </summary>
public sealed class GappedStraightThroughTests
{
    [Theory]
    [InlineData("gst", 1.0, 1.0, 2)]
    [InlineData("gst", 0.0, 0.5, 5)]
    [InlineData("gst", 0.3, 2.0, 8)]
    [InlineData("gst", 4.0, 1.0, 6)]
    [InlineData("gst-p", 0, 1.0, 5)]
    [InlineData("gst-p", 0, 0.4, 3)]
    [InlineData("gst-p", 0, 3.0, 7)]
    public void Each_estimate_is_the_published_rule_at_the_drawn_sample(string name, double gap, double temperature, int classes)
    {
        const int rows = 400, dims = 2;
        var parameters = name == "gst" ? new Dictionary<string, double> { ["gap"] = gap, ["temperature"] = temperature } : new() { ["temperature"] = temperature };
        var estimator = EstimatorRegistry.Find(name)!.Build(LatentDistribution.Categorical, parameters);
        var rule = PublishedRules.GappedStraightThrough(gap, temperature, adaptive: name == "gst-p");
        var objective = new LinearSquareObjective([1.3, -0.8], 0.9);

        var random = new Random(classes * 97 + (int)(temperature * 10));
        var logits = new double[rows * dims * classes];
        for (int r = 0; r < rows; r++)
        {
            for (int i = 0; i < dims * classes; i++) logits[r * dims * classes + i] = (random.NextDouble() - 0.5) * 6;
            if (r % 4 == 1) logits[r * dims * classes] += 9;                                  // one class all but certain
            if (r % 4 == 2) logits[r * dims * classes + 1] = logits[r * dims * classes] + 1e-3; // a near-tie for the top
        }

        using var scope = NewDisposeScope();
        using var generator = new Generator(5);
        var leaf = tensor(logits, dtype: float64).reshape(rows, dims, classes).requires_grad_(true);
        var recording = new RecordingObjective(objective);
        estimator.Surrogate(leaf, recording, generator).sum().backward();
        var estimates = leaf.grad!.data<double>().ToArray();
        var samples = recording.Inputs;
        var sampleGradients = Enumeration.SampleGradients(LatentFamily.Categorical, objective,
            tensor(samples, dtype: float64).reshape(rows, dims, classes)).data<double>().ToArray();

        for (int r = 0; r < rows; r++)
        {
            for (int d = 0; d < dims; d++)
            {
                var at = ((r * dims + d) * classes)..((r * dims + d + 1) * classes);
                var expected = rule(logits[at], samples[at], sampleGradients[at]);
                var actual = estimates[at];
                for (int k = 0; k < classes; k++)
                {
                    Assert.True(Math.Abs(actual[k] - expected[k]) <= 1e-10 * (1 + Math.Abs(expected[k])),
                        $"{name} row {r}, dim {d}, class {k}: {actual[k]:G10} vs {expected[k]:G10}");
                }
            }
        }
    }
}
