using Pwgf.Statistics;
using static TorchSharp.torch;

namespace Pwgf.Estimators.Diagnostics;

/// <summary>Per-sample gradients, one row per sample, folded into <see cref="SampleMoments"/>.</summary>
public static class GradientMoments
{
    /// <summary>The moments of a batch of per-sample gradients [rows, width].</summary>
    public static SampleMoments Of(Tensor perSample)
    {
        var moments = new SampleMoments((int)perSample.shape[1]);
        Add(moments, perSample);
        return moments;
    }

    /// <summary>Folds a batch of per-sample gradients [rows, width] into <paramref name="moments"/>.</summary>
    public static void Add(SampleMoments moments, Tensor perSample)
    {
        using var scope = NewDisposeScope();
        var rows = perSample.detach().to(float64);                                       // [rows, width]
        // Shift by the first row before averaging: identical rows (an exact gradient) then centre to exact zeros
        // instead of leaving the rounding error of their mean behind as a tiny positive variance.
        var origin = rows[0];                                                            // [width]
        var shifted = rows - origin;                                                     // [rows, width]
        var shiftedMean = shifted.mean([0]);                                             // [width]
        var centred = shifted - shiftedMean;                                             // [rows, width]
        var mean = shiftedMean + origin;                                                 // [width]
        var coMoments = moments.HasCovariance
            ? centred.t().mm(centred)                                                    // [width, width]
            : centred.square().sum([0]);                                                 // [width]
        moments.Merge((int)rows.shape[0], mean.cpu().data<double>().ToArray(), coMoments.cpu().data<double>().ToArray());
    }
}
