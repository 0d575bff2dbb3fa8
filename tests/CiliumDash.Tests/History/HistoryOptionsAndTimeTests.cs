using CiliumDash.Configuration;
using CiliumDash.Shared;

namespace CiliumDash.Tests.History;

public sealed class HistoryOptionsAndTimeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2h", "2026-03-01T10:00:00Z")]
    [InlineData("1h30m", "2026-03-01T10:30:00Z")]
    [InlineData("90s", "2026-03-01T11:58:30Z")]
    [InlineData("7d", "2026-02-22T12:00:00Z")]
    [InlineData("2026-03-01T03:00:00Z", "2026-03-01T03:00:00Z")]
    [InlineData("2026-03-01T05:00:00+02:00", "2026-03-01T03:00:00Z")]
    public void TryParse_DurationAgoOrRfc3339_GivesThatMoment(string text, string expected)
    {
        Assert.True(TimeParameter.TryParse(text, Now, out var at, out var error), error);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2h ago; DROP TABLE")]
    [InlineData("03/01/2026")]
    public void TryParse_Other_FailsSayingWhatIsAccepted(string text)
    {
        Assert.False(TimeParameter.TryParse(text, Now, out _, out var error));
        Assert.Contains("RFC 3339", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadHistoryKeys_NamesEveryOne()
    {
        var options = new CiliumDashOptions
        {
            History = new HistoryOptions
            {
                Provider = HistoryProvider.PostgreSQL,
                ConnectionString = "",
                QueueCapacity = 1,
                Retention = new HistoryRetentionOptions { RawFlows = TimeSpan.FromMinutes(5) },
            },
        };

        var failures = new CiliumDashOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("CiliumDash:History:ConnectionString: must be a PostgreSQL connection string", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CiliumDash:History:QueueCapacity:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("CiliumDash:History:Retention:RawFlows:", StringComparison.Ordinal));
    }
}
