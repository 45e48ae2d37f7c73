using Pwgf.Estimators.Families;
using Pwgf.Estimators.Objectives;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// REBAR (Tucker et al. 2017) and RELAX (Grathwohl et al. 2018) for Bernoulli logits. Both draw a logistic sample
/// z = phi + L, its hard value b = 1[z &gt; 0], and a second relaxed sample z~ from the same logistic conditioned on
/// b. With a control variate c, the per-example estimate is
///     g = (f(b) - c(z~)) d log p(b) / d phi + d c(z) / d phi - d c(z~) / d phi,
/// unbiased for any c. REBAR: c(z) = eta f(sigmoid(z / lambda)). RELAX adds a small learned network:
/// c(z) = eta f(sigmoid(z / lambda)) + r(sigmoid(z / lambda)), its output layer starting at zero (so RELAX starts
/// as REBAR). eta, log lambda and r's weights are tuned online by Adam on the squared estimate.
/// </summary>
public sealed class ConditionalRelaxation : ISelfTuningEstimator
{
    private readonly bool _learnedNetwork;
    private readonly int _hidden;
    private readonly double _tuningRate;
    private readonly double _initialTemperature;
    private readonly double _initialScale;
    private readonly List<Parameter> _tunables = [];  // eta, log lambda, then r: W1 [h, d], b1 [h], W2 [1, h], b2 [1]
    private OptimizerHelper? _tuner;

    public ConditionalRelaxation(bool learnedNetwork, double temperature, double scale, int hidden, double tuningRate)
    {
        _learnedNetwork = learnedNetwork;
        _hidden = hidden;
        _tuningRate = tuningRate;
        _initialTemperature = temperature;
        _initialScale = scale;
    }

    public string Name => _learnedNetwork ? "relax" : "rebar";
    public LatentFamily Family => LatentFamily.Bernoulli;
    /// <summary>eta, once the first call has created the control variate.</summary>
    public double Scale => _tunables.Count > 0 ? _tunables[0].item<double>() : _initialScale;

    /// <summary>lambda, once the first call has created the control variate.</summary>
    public double Temperature => _tunables.Count > 0 ? Math.Exp(_tunables[1].item<double>()) : _initialTemperature;

    public int EvaluationsPerExample(int dims) => 3;

    public Tensor Surrogate(Tensor parameters, IObjective objective, Generator? generator)
    {
        EnsureControlVariate(parameters);
        long batch = parameters.shape[0];

        var logistic = parameters + Noise.Logistic(parameters, generator);                  // z, [batch, dims]
        var hard = (logistic.detach() > 0).to_type(parameters.dtype);                      // b
        var v = Noise.Uniform(parameters, generator);
        var odds = v / (1 - v);
        var conditional = hard * (odds / (-parameters).sigmoid()).log1p()                  // z~ given b = 1: z~ > 0
                          - (1 - hard) * (odds / parameters.sigmoid()).log1p();            // z~ given b = 0: z~ < 0

        var value = objective.Evaluate(Family, hard);                                      // f(b), [batch]
        var control = Control(objective.Frozen(), cat([logistic, conditional], 0));       // [2 batch]
        var (atSample, atConditional) = (control[..(int)batch], control[(int)batch..]);
        var logProbability = Family.LogProbability(hard, parameters);
        var pathwise = atSample - atConditional;
        return value
               + (value.detach() - atConditional) * (logProbability - logProbability.detach())
               + (pathwise - pathwise.detach());
    }

    public void Tune(Tensor surrogate, Tensor parameters)
    {
        if (_tuningRate <= 0) return;
        var perExample = autograd.grad([surrogate.sum()], [parameters], retain_graph: true, create_graph: true)[0]; // [batch, dims]
        var meanSquare = perExample.square().sum() / parameters.shape[0];
        _tuner!.zero_grad();
        meanSquare.backward(inputs: [.. _tunables], retain_graph: true);
        _tuner.step();
    }

    /// <summary>c at relaxed logistic samples. Parameters are cloned into the graph, so tuning them in place
    /// afterwards leaves the graph that the caller still has to differentiate intact.</summary>
    private Tensor Control(IObjective frozen, Tensor logistic)
    {
        var weights = _tunables.Select(t => t.clone()).ToList();
        var soft = (logistic / weights[1].exp()).sigmoid();                                // [n, dims]
        var control = weights[0] * frozen.Evaluate(Family, soft);                         // [n]
        if (!_learnedNetwork) return control;

        var hidden = nn.functional.linear(soft, weights[2], weights[3]).tanh();           // [n, h]
        return control + nn.functional.linear(hidden, weights[4], weights[5]).squeeze(-1);
    }

    /// <summary>Created on first use, in the dtype and on the device of the parameters it serves.</summary>
    private void EnsureControlVariate(Tensor parameters)
    {
        if (_tuner is not null) return;
        var (dtype, device) = (parameters.dtype, parameters.device);
        var initial = new List<Tensor> { tensor(_initialScale, dtype, device), tensor(Math.Log(_initialTemperature), dtype, device) };
        if (_learnedNetwork)
        {
            long dims = parameters.shape[1];
            using var generator = new Generator(0x7e1a7, device);
            double bound = 1 / Math.Sqrt(dims);
            initial.Add((rand([_hidden, dims], dtype, device, generator: generator) * 2 - 1) * bound);
            initial.Add(zeros(_hidden, dtype, device));
            initial.Add(zeros(1, _hidden, dtype: dtype, device: device));
            initial.Add(zeros(1, dtype, device));
        }
        Adopt(initial);
    }

    private void Adopt(IEnumerable<Tensor> values)
    {
        foreach (var value in values)
        {
            // They outlive the caller's dispose scope (a training step): they belong to this estimator.
            var parameter = new Parameter(value.detach().clone());
            parameter.DetachFromDisposeScope();
            _tunables.Add(parameter);
        }
        _tuner = (OptimizerHelper)optim.Adam(_tunables, _tuningRate > 0 ? _tuningRate : 1e-3);
    }

    public void SaveState(BinaryWriter writer)
    {
        writer.Write(_tunables.Count);
        foreach (var parameter in _tunables) parameter.Save(writer);
        _tuner?.save_state_dict(writer);
    }

    public void LoadState(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count == 0) return;
        if (_tuner is not null) throw new InvalidOperationException("Load a control variate before first use.");
        var values = new List<Tensor>();
        for (int i = 0; i < count; i++) values.Add(Tensor.Load(reader));
        Adopt(values);
        _tuner!.load_state_dict(reader);
    }

    public void Dispose()
    {
        _tuner?.Dispose();
        foreach (var parameter in _tunables) parameter.Dispose();
    }
}
