using Pwgf.Training;

namespace Pwgf.UnitTests.Training;

/// <summary>The worker's training threads: asynchronous work stays on its thread from start to finish.</summary>
public sealed class TorchThreadTests
{
    [Fact]
    public async Task Every_continuation_of_the_work_runs_on_the_thread()
    {
        using var thread = new TorchThread("test");
        var seen = new List<int>();
        await thread.RunAsync(async () =>
        {
            seen.Add(Environment.CurrentManagedThreadId);
            await Task.Delay(20);
            seen.Add(Environment.CurrentManagedThreadId);
            await Task.Run(() => Thread.Sleep(10));        // resumes after work done on the pool
            seen.Add(Environment.CurrentManagedThreadId);
            await Task.Yield();
            seen.Add(Environment.CurrentManagedThreadId);
        });
        Assert.All(seen, id => Assert.Equal(thread.ManagedThreadId, id));
        Assert.NotEqual(Environment.CurrentManagedThreadId, thread.ManagedThreadId);
    }

    [Fact]
    public async Task Results_and_exceptions_reach_the_caller_and_the_thread_goes_on()
    {
        using var thread = new TorchThread("test");
        int answer = await thread.RunAsync(async () =>
        {
            await Task.Delay(5);
            return 42;
        });
        Assert.Equal(42, answer);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => thread.RunAsync(async () =>
        {
            await Task.Delay(5);
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("boom", failure.Message);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => thread.RunAsync(() => Task.FromCanceled(new CancellationToken(true))));

        int after = await thread.RunAsync(() => Task.FromResult(Environment.CurrentManagedThreadId));
        Assert.Equal(thread.ManagedThreadId, after);
    }

    [Fact]
    public async Task Work_given_while_the_thread_is_busy_waits_its_turn()
    {
        using var thread = new TorchThread("test");
        var order = new List<string>();
        var first = thread.RunAsync(() =>
        {
            Thread.Sleep(50);                              // holds the thread without awaiting
            order.Add("first");
            return Task.CompletedTask;
        });
        var second = thread.RunAsync(() =>
        {
            order.Add("second");
            return Task.CompletedTask;
        });
        await Task.WhenAll(first, second);
        Assert.Equal(["first", "second"], order);
    }
}
