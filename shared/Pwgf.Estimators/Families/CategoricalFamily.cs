using static TorchSharp.torch;

namespace Pwgf.Estimators.Families;

internal sealed class CategoricalFamily : LatentFamily
{
    public override LatentDistribution Distribution => LatentDistribution.Categorical;

    public override Tensor Mean(Tensor parameters) => parameters.softmax(-1);

    public override Tensor Sample(Tensor parameters, Generator? generator)
    {
        using var _ = no_grad();
        long classes = parameters.shape[^1];
        var probabilities = parameters.softmax(-1).reshape(-1, classes);               // [rows, K]
        var index = multinomial(probabilities, 1, replacement: true, generator: generator); // [rows, 1]
        return nn.functional.one_hot(index.squeeze(-1), classes)
            .to_type(parameters.dtype)
            .reshape(parameters.shape);
    }

    public override Tensor LogProbability(Tensor sample, Tensor parameters) =>
        (sample * parameters.log_softmax(-1)).sum(new long[] { -2, -1 });

    public override Tensor ExpectPerCoordinate(Func<Tensor, Tensor> h, Tensor parameters)
    {
        var classes = arange(parameters.shape[^1], dtype: parameters.dtype, device: parameters.device); // [K]
        return (parameters.softmax(-1) * h(classes)).sum(-1);
    }

    public override Tensor CoordinateValue(Tensor sample)
    {
        var classes = arange(sample.shape[^1], dtype: sample.dtype, device: sample.device); // [K]
        return (sample * classes).sum(-1);
    }
}
