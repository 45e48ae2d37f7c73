using Pwgf.Estimators;
using Pwgf.Training;

namespace Pwgf.UnitTests.Training;

/// <summary>Which estimators the catalogue lets each task run, and the reason it gives when it refuses one.</summary>
public sealed class TaskAcceptanceTests
{
    [Theory]
    [InlineData("bernoulli-vae", true)]
    [InlineData("categorical-vae", true)]
    [InlineData("poisson-vae", true)]
    [InlineData("bernoulli-toy", false)]
    [InlineData("categorical-toy", false)]
    [InlineData("poisson-toy", false)]
    public void Only_the_vae_tasks_accept_vimco(string taskName, bool accepted)
    {
        var task = TaskRegistry.Find(taskName)!;
        var vimco = EstimatorRegistry.Find("vimco")!;

        Assert.Equal(accepted, task.Accepts(vimco));
        if (!accepted) Assert.Contains("multi-sample bound", task.Refusal(vimco));
    }

    [Fact]
    public void Each_refusal_names_its_own_reason()
    {
        Assert.Contains("Poisson", TaskRegistry.Find("poisson-toy")!.Refusal(EstimatorRegistry.Find("arm")!));
        Assert.Contains("exact", TaskRegistry.Find("bernoulli-vae")!.Refusal(EstimatorRegistry.Find("exact")!));
        Assert.Null(TaskRegistry.Find("bernoulli-toy")!.Refusal(EstimatorRegistry.Find("exact")!));
    }
}
