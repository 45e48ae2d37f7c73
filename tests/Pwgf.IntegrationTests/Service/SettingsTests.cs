using Pwgf.IntegrationTests.Support;
using Pwgf.LocalStack;

namespace Pwgf.IntegrationTests.Service;

/// <summary>Settings are checked when the API starts: a bad value stops it with a message naming the setting.</summary>
[Collection(ServiceCollection.Name)]
public sealed class SettingsTests(ServiceFixture service)
{
    [Theory]
    [InlineData("Diagnostics__MaxComputeTime", "00:00:00", "MaxComputeTime")]
    [InlineData("Api__SubmissionsPerMinute", "0", "SubmissionsPerMinute")]
    [InlineData("Database__MaxPoolSize", "-3", "MaxPoolSize")]
    [InlineData("Jobs__InvisibilityTimeout", "00:00:00", "InvisibilityTimeout")]
    public async Task An_api_with_a_setting_out_of_range_refuses_to_start_and_names_it(string variable, string value, string named)
    {
        var refused = await Assert.ThrowsAsync<LocalStackException>(() =>
            service.StartApiAsync(new Dictionary<string, string> { [variable] = value }));

        Assert.Contains("the API exited during start-up", refused.Message);
        Assert.Contains(named, refused.Message);
        Assert.Contains("OptionsValidationException", refused.Message);
    }
}
