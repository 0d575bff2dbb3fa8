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

    [Theory]
    [InlineData("250ms", 0.25)]
    [InlineData("2026-03-01T11:59:00.5Z", 59.5)]
    public void TryParse_MillisecondsAndFractions_AreKept(string text, double secondsAgo)
    {
        Assert.True(TimeParameter.TryParse(text, Now, out var at, out var error), error);
        Assert.Equal(Now - TimeSpan.FromSeconds(secondsAgo), at);
    }

    [Theory]
    [InlineData("-5m")]
    [InlineData("999999999h")]
    [InlineData("999999999d999999999d")]
    [InlineData("Tuesday T")]
    public void TryParse_NonsenseOrTooFarBack_IsRefusedNamingTheValue(string text)
    {
        Assert.False(TimeParameter.TryParse(text, Now, out _, out var error));
        Assert.Contains(text, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongerThanTheLimit_IsRefusedBeforeParsing()
    {
        Assert.False(TimeParameter.TryParse(new string('1', TimeParameter.MaxLength) + "s", Now, out _, out var error));
        Assert.Contains("longer than", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void TryParseOptional_Absent_IsNoBound(string? text)
    {
        Assert.True(TimeParameter.TryParseOptional(text, Now, out var at, out var error), error);
        Assert.Null(at);
    }

    [Fact]
    public void TryParseOptional_Duration_IsThatMomentAgo()
    {
        Assert.True(TimeParameter.TryParseOptional("7d", Now, out var at, out _));
        Assert.Equal(Now.AddDays(-7), at);
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
