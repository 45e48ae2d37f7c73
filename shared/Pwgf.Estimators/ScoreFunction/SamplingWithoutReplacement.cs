using System.Collections.Concurrent;
using static TorchSharp.torch;

namespace Pwgf.Estimators.ScoreFunction;

/// <summary>
/// Sampling k distinct joint configurations of d independent categorical coordinates without replacement, and the
/// probabilities of the resulting unordered set that the unordered set estimator needs (Kool, van Hoof and Welling
/// 2019 and 2020).
/// </summary>
internal static class SamplingWithoutReplacement
{
    private static readonly ConcurrentDictionary<int, Layout> Layouts = new();

    /// <summary>
    /// For sets of k: every order of the other k - 2 positions for each pair a &lt; b (flattened pair-major), and per
    /// pair a k x k mask that is 0 at (a, b) and (b, a) and -infinity elsewhere.
    /// </summary>
    private sealed record Layout(long[] Orders, int OrderCount, double[] PairMask);

    /// <summary>
    /// Stochastic beam search: the k configurations with the largest Gumbel-perturbed log-probabilities, found one
    /// coordinate at a time. Each prefix carries a perturbed value; its children's Gumbels are drawn and shifted so
    /// that their maximum equals it, which makes every complete configuration's value an independent
    /// Gumbel(log p(s)) and the top k a sample without replacement. Returns [batch, min(k, K^d), dims] class indices.
    /// </summary>
    public static Tensor Sample(Tensor logProbabilities, int k, Generator? generator)
    {
        using var _ = no_grad();
        long batch = logProbabilities.shape[0], dims = logProbabilities.shape[1], classes = logProbabilities.shape[2];
        var prefixLogProbability = zeros([batch, 1], logProbabilities.dtype, logProbabilities.device); // [batch, m]
        var prefixValue = Noise.Gumbel([batch, 1], logProbabilities, generator);                     // [batch, m]
        Tensor? prefixes = null;                                                                      // [batch, m, i]
        for (long i = 0; i < dims; i++)
        {
            var children = prefixLogProbability.unsqueeze(-1) + logProbabilities.select(1, i).unsqueeze(1); // [batch, m, K]
            var perturbed = children + Noise.Gumbel(children.shape, logProbabilities, generator);
            var largest = perturbed.max(-1, keepdim: true).values;
            var values = prefixValue.unsqueeze(-1)
                         - nn.functional.softplus(prefixValue.unsqueeze(-1) - perturbed + Log1mexp(perturbed - largest));
            long width = Math.Min(k, children.shape[1] * classes);
            var (kept, index) = values.reshape(batch, -1).topk((int)width, dim: -1);
            var parent = index.div(classes, rounding_mode: RoundingMode.floor);
            var chosen = index.remainder(classes).unsqueeze(-1);                                      // [batch, width, 1]
            prefixes = prefixes is null
                ? chosen
                : cat([prefixes.gather(1, parent.unsqueeze(-1).expand(batch, width, i)), chosen], -1);
            prefixLogProbability = children.reshape(batch, -1).gather(1, index);
            prefixValue = kept;
        }
        return prefixes!;
    }

    /// <summary>
    /// For a set S of k distinct configurations with log-probabilities <paramref name="logProbability"/> ([batch, k],
    /// float64), the leave-one-out ratios log R1[s] = log P^{D\s}(S\s) - log P(S) and the leave-two-out ratios
    /// log R2[s, s'] = log P^{D\{s,s'}}(S\{s,s'}) - log P^{D\s}(S\s) (0 on the diagonal), where P^D(S) is the
    /// probability that sampling without replacement from domain D yields the set S in some order. The second-order
    /// probabilities are summed over every order of the remaining k - 2 elements (Plackett-Luce), each factor
    /// p(s) / (p(D \ S) + mass of S's elements not yet drawn), all in log space; the others follow from
    /// P^{D\s}(S\s) = sum_{s'} p(s') / (1 - p(s)) P^{D\{s,s'}}(S\{s,s'}) and P(S) = sum_s p(s) P^{D\s}(S\s).
    /// </summary>
    public static (Tensor LogR1, Tensor LogR2) LeaveOutRatios(Tensor logProbability)
    {
        long batch = logProbability.shape[0];
        int k = (int)logProbability.shape[1];
        var (orders, orderCount, pairMask) = Layouts.GetOrAdd(k, BuildLayout);
        long pairCount = k * (k - 1) / 2;
        var device = logProbability.device;

        Tensor logPairSets;                                                                   // [batch, pairs]
        if (k == 2)
        {
            logPairSets = zeros([batch, 1], float64, device);                                // the empty set, probability 1
        }
        else
        {
            var logRest = Log1mexp(logProbability.logsumexp(-1)).clamp_min(-690);           // log p(D \ S), [batch]
            var drawn = logProbability.index_select(1, tensor(orders, device: device))
                .reshape(batch, pairCount, orderCount, k - 2);                                // log p of each order's elements
            var notYetDrawn = drawn.flip(-1).logcumsumexp(-1).flip(-1);
            var denominators = logRest.reshape(batch, 1, 1, 1).logaddexp(notYetDrawn);
            logPairSets = (drawn - denominators).sum(-1).logsumexp(-1);
        }

        var mask = tensor(pairMask, [pairCount, k, k], float64, device);
        var logP2 = (logPairSets.reshape(batch, pairCount, 1, 1) + mask).logsumexp(1);  // [batch, k, k], -inf on the diagonal
        var firstDraw = logProbability.unsqueeze(1) - Log1mexp(logProbability).unsqueeze(-1); // log p(s') / (1 - p(s)), [batch, s, s']
        var logP1 = (firstDraw + logP2).logsumexp(-1);                                         // [batch, k]
        var logSet = (logProbability + logP1).logsumexp(-1, keepdim: true);                   // [batch, 1]

        var logR2 = (logP2 - logP1.unsqueeze(-1)).masked_fill(eye(k, dtype: ScalarType.Bool, device: device), 0);
        return (logP1 - logSet, logR2);
    }

    /// <summary>log(1 - e^x) for x &lt;= 0, accurate at both ends.</summary>
    private static Tensor Log1mexp(Tensor x) =>
        where(x > -Math.Log(2), (-x.expm1()).log(), (-x.exp()).log1p());

    private static Layout BuildLayout(int k)
    {
        var orders = new List<long>();
        var pairMask = new List<double>();
        int orderCount = 0;
        for (int a = 0; a < k; a++)
        {
            for (int b = a + 1; b < k; b++)
            {
                var permutations = Permutations(Enumerable.Range(0, k).Where(i => i != a && i != b).ToList()).ToList();
                orderCount = permutations.Count;
                foreach (var order in permutations) orders.AddRange(order.Select(i => (long)i));
                for (int row = 0; row < k; row++)
                {
                    for (int column = 0; column < k; column++)
                    {
                        bool pair = (row == a && column == b) || (row == b && column == a);
                        pairMask.Add(pair ? 0 : double.NegativeInfinity);
                    }
                }
            }
        }
        return new Layout([.. orders], orderCount, [.. pairMask]);
    }

    private static IEnumerable<List<int>> Permutations(List<int> items)
    {
        if (items.Count <= 1)
        {
            yield return [.. items];
            yield break;
        }
        for (int i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, j) => j != i).ToList();
            foreach (var tail in Permutations(rest)) yield return [items[i], .. tail];
        }
    }
}
