using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using TorchSharp;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// REBAR (Tucker et al. 2017) and RELAX (Grathwohl et al. 2018) for categorical logits, the categorical twin of
/// <see cref="ConditionalRelaxation"/>. With normalised log-probabilities l = log softmax(theta), a Gumbel-max
/// sample z = l + G gives the class b = argmax z; a second perturbation z~ is drawn from the Gumbels conditioned on
/// b being their argmax, as in both papers:
///     z~_b = -log(-log v_b),        z~_i = -log(-log(v_i) / pi_i - log(v_b))  (i != b),   v ~ U(0, 1).
/// With a control variate c of a relaxed sample, the estimate
///     g = (f(b) - c(z~)) d log p(b) / d theta + d c(z) / d theta - d c(z~) / d theta
/// is unbiased for any c. REBAR: c(z) = eta f(softmax(z / lambda)). RELAX adds a small network r of that relaxed
/// sample (tanh hidden layer, output layer starting at zero). eta, log lambda and r are tuned online by Adam on the
/// mean squared per-example estimate.
/// </summary>
public sealed class ConditionalGumbelRelaxation(bool learnedNetwork, double temperature, double scale, int hidden, double tuningRate)
    : ISelfTuningEstimator
{
    private readonly TunableParameters _tunables = new(tuningRate); // eta, log lambda, then r: W1 [h, dims K], b1 [h], W2 [1, h], b2 [1]

    public string Name => learnedNetwork ? "relax" : "rebar";
    public LatentFamily Family => LatentFamily.Categorical;

    /// <summary>eta, once the first call has created the control variate.</summary>
    public double Scale => _tunables.Created ? _tunables.Values[0].ToDouble() : scale;

    /// <summary>lambda, once the first call has created the control variate.</summary>
    public double Temperature => _tunables.Created ? Math.Exp(_tunables.Values[1].ToDouble()) : temperature;

    public int EvaluationsPerExample(int dims) => 3;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        EnsureControlVariate(parameters);
        long batch = parameters.shape[0], classes = parameters.shape[^1];
        var logProbabilities = parameters.log_softmax(-1);                                   // l, [batch, dims, K]
        var perturbed = logProbabilities + Noise.Gumbel(parameters, generator);              // z
        var hard = nn.functional.one_hot(perturbed.detach().argmax(-1), classes).to_type(parameters.dtype); // b

        var logExponentials = (-Noise.Uniform(parameters, generator).log()).log();           // log(-log v)
        var atChosen = (logExponentials * hard).sum(-1, keepdim: true);                      // log(-log v_b)
        // -log(-log(v_i) / pi_i - log(v_b)) in log space, finite however small pi_i is in float32
        var conditional = hard * -atChosen + (1 - hard) * -(logExponentials - logProbabilities).logaddexp(atChosen); // z~

        var value = objective.Evaluate(Family, hard);                                        // f(b), [batch]
        var control = Control(objective.Frozen(), cat([perturbed, conditional], 0));        // [2 batch]
        var (atSample, atConditional) = (control[..(int)batch], control[(int)batch..]);
        var logProbability = Family.LogProbability(hard, parameters);
        var pathwise = atSample - atConditional;
        return value
               + (value.detach() - atConditional) * (logProbability - logProbability.detach())
               + (pathwise - pathwise.detach());
    }

    public void Tune(Tensor surrogate, Tensor parameters)
    {
        if (tuningRate <= 0) return;
        var perExample = autograd.grad([surrogate.sum()], [parameters], retain_graph: true, create_graph: true)[0]; // [batch, dims, K]
        _tunables.Step(perExample.square().sum() / parameters.shape[0], retainGraph: true);
    }

    /// <summary>c at perturbed logits [n, dims, K]: eta f(softmax(z / lambda)), plus r(that relaxed sample) for RELAX.</summary>
    private Tensor Control(IObjective frozen, Tensor perturbed)
    {
        var weights = _tunables.Snapshot();
        var soft = (perturbed / weights[1].exp()).softmax(-1);                              // [n, dims, K]
        var control = weights[0] * frozen.Evaluate(Family, soft);                           // [n]
        if (!learnedNetwork) return control;

        var hiddenLayer = nn.functional.linear(soft.flatten(1), weights[2], weights[3]).tanh(); // [n, h]
        return control + nn.functional.linear(hiddenLayer, weights[4], weights[5]).squeeze(-1);
    }

    /// <summary>Created on first use, in the dtype and on the device of the logits it serves.</summary>
    private void EnsureControlVariate(Tensor parameters)
    {
        if (_tunables.Created) return;
        var (dtype, device) = (parameters.dtype, parameters.device);
        var initial = new List<Tensor> { tensor(scale, dtype, device), tensor(Math.Log(temperature), dtype, device) };
        if (learnedNetwork)
        {
            long inputs = parameters.shape[1] * parameters.shape[2];
            using var generator = new Generator(0x7e1a8, device);
            double bound = 1 / Math.Sqrt(inputs);
            initial.Add((rand([hidden, inputs], dtype, device, generator: generator) * 2 - 1) * bound);
            initial.Add(zeros(hidden, dtype, device));
            initial.Add(zeros(1, hidden, dtype: dtype, device: device));
            initial.Add(zeros(1, dtype, device));
        }
        _tunables.Create(initial);
    }

    public void SaveState(BinaryWriter writer) => _tunables.Save(writer);

    public void LoadState(BinaryReader reader) => _tunables.Load(reader);

    public void Dispose() => _tunables.Dispose();
}
