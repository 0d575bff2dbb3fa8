using CiliumDash.Configuration;

namespace CiliumDash.Tests.Embeds;

public sealed class EmbedOriginsValidationTests
{
    [Fact]
    public void Validate_OriginsWithPathsOrOtherSchemes_EachNamed()
    {
        var options = new CiliumDashOptions { Embeds = new EmbedOptions { AllowedOrigins = "https://wiki.example.com, https://wiki.example.com/page, ftp://x.example, wiki.example.com", SigningKey = "short" } };

        var result = new CiliumDashOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.DoesNotContain("'https://wiki.example.com'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'https://wiki.example.com/page' is not an origin", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'ftp://x.example' is not an origin", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("'wiki.example.com' is not an origin", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CiliumDash:Embeds:SigningKey: must be at least 32 characters", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoOriginsWithPorts_Succeed()
    {
        var options = new CiliumDashOptions { Embeds = new EmbedOptions { AllowedOrigins = "https://wiki.example.com,http://127.0.0.1:8080/" } };

        Assert.True(new CiliumDashOptionsValidator().Validate(null, options).Succeeded);
    }
}
