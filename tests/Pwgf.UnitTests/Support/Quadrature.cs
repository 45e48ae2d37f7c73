using MathNet.Numerics.Integration;

namespace Pwgf.UnitTests.Support;

/// <summary>Deterministic integration rules (nodes and weights) for the estimators' independent references.</summary>
public static class Quadrature
{
    public sealed record Rule(double[] Nodes, double[] Weights)
    {
        public double Integrate(Func<double, double> f) => Nodes.Select((x, i) => Weights[i] * f(x)).Sum();
    }

    /// <summary>Composite Gauss-Legendre: <paramref name="panels"/> equal panels of <paramref name="order"/> nodes on [a, b].</summary>
    public static Rule Composite(double a, double b, int panels, int order)
    {
        var nodes = new List<double>();
        var weights = new List<double>();
        double width = (b - a) / panels;
        for (int p = 0; p < panels; p++)
        {
            var rule = new GaussLegendreRule(a + p * width, a + (p + 1) * width, order);
            nodes.AddRange(rule.Abscissas);
            weights.AddRange(rule.Weights);
        }
        return new Rule([.. nodes], [.. weights]);
    }

    /// <summary>
    /// Gauss-Legendre on (0, 1) after the map u = v - sin(2 pi v) / (2 pi), whose derivative vanishes at both ends:
    /// integrands with fractional powers of u or 1 - u at the ends (relaxed samples near a vertex) converge fast.
    /// </summary>
    public static Rule GradedUnitInterval(int order)
    {
        var rule = new GaussLegendreRule(0, 1, order);
        var nodes = rule.Abscissas.Select(v => v - Math.Sin(2 * Math.PI * v) / (2 * Math.PI)).ToArray();
        var weights = rule.Abscissas.Select((v, i) => rule.Weights[i] * (1 - Math.Cos(2 * Math.PI * v))).ToArray();
        return new Rule(nodes, weights);
    }
}
