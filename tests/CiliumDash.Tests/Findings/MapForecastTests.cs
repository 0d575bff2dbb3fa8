using CiliumDash.Agents;
using CiliumDash.Findings;
using CiliumDash.Findings.Forecasts;
using CiliumDash.Tests.Builders;

namespace CiliumDash.Tests.Findings;

/// <summary>The linear map-fill forecast: honest about too few or noisy samples, and the map-forecast-full finding it feeds.</summary>
public sealed class MapForecastTests
{
    private static List<FillSample> Line(double start, double perHour, int count, TimeSpan step) =>
        Enumerable.Range(0, count).Select(i => new FillSample(ClusterData.Now + step * i, start + perHour * (step * i).TotalHours)).ToList();

    [Fact]
    public void Forecast_SteadyClimb_ConfidentTimeToFull()
    {
        // 50 % and rising 5 points an hour: full 10 hours after the last sample at 50 % + 5 × 0.5 h.
        var f = LinearFillForecast.Of("n", "cilium_ct4_global", Line(0.5, 0.05, 7, TimeSpan.FromMinutes(5)));

        Assert.Equal(ForecastConfidence.Confident, f.Confidence);
        Assert.Equal(9.5, f.TimeToFull!.Value.TotalHours, 3);
    }

    [Fact]
    public void Forecast_ThreeSamples_TooShort() =>
        Assert.Equal(ForecastConfidence.TooShort, LinearFillForecast.Of("n", "m", Line(0.5, 0.05, 3, TimeSpan.FromMinutes(10))).Confidence);

    [Fact]
    public void Forecast_SamplesOverTwoMinutes_TooShort() =>
        Assert.Equal(ForecastConfidence.TooShort, LinearFillForecast.Of("n", "m", Line(0.5, 0.05, 10, TimeSpan.FromSeconds(10))).Confidence);

    [Fact]
    public void Forecast_JumpingUpAndDown_TooNoisyAndNoTime()
    {
        var samples = Enumerable.Range(0, 12).Select(i => new FillSample(ClusterData.Now.AddMinutes(i * 5), i % 2 == 0 ? 0.3 : 0.8 + i * 0.001)).ToList();

        var f = LinearFillForecast.Of("n", "m", samples);

        Assert.Equal(ForecastConfidence.TooNoisy, f.Confidence);
        Assert.Null(f.TimeToFull);
    }

    [Fact]
    public void Forecast_FullFarBeyondTheObservedSpan_TooShort()
    {
        // Six minutes of a smooth rise (the climbing half of a swing) point a day ahead: too short to tell.
        var f = LinearFillForecast.Of("n", "m", Line(0.2, 0.033, 7, TimeSpan.FromMinutes(1)));

        Assert.Equal(ForecastConfidence.TooShort, f.Confidence);
        Assert.Null(f.TimeToFull);
    }

    [Fact]
    public void Forecast_Shrinking_NotFilling() =>
        Assert.Equal(ForecastConfidence.NotFilling, LinearFillForecast.Of("n", "m", Line(0.8, -0.01, 8, TimeSpan.FromMinutes(5))).Confidence);

    [Fact]
    public void Forecast_FullInAYear_NotFilling() =>
        Assert.Equal(ForecastConfidence.NotFilling, LinearFillForecast.Of("n", "m", Line(0.1, 0.0001, 8, TimeSpan.FromMinutes(5))).Confidence);

    [Theory]
    [InlineData(0.04, "warning")]
    [InlineData(0.2, "critical")]
    public void Engine_MapClimbingTowardsFull_MapForecastFullWithSeverityAndHint(double perHour, string severity)
    {
        using var engine = new EngineFixture();
        // One metrics read every 5 minutes for 30 minutes, starting at 70 % full.
        for (var i = 0; i <= 6; i++)
        {
            var at = engine.Time.GetUtcNow();
            engine.Node(ClusterData.Node("knode1", mapPressure: new MapPressure([("cilium_snat_v4_external", 0.7 + perHour * i / 12.0)], at, [])));
            engine.Derive();
            engine.Time.Advance(TimeSpan.FromMinutes(5));
        }

        var finding = Assert.Single(engine.Derive(), f => f.Kind == FindingKinds.MapForecastFull);

        Assert.Equal(severity, FindingsApi.Severity(finding.Severity));
        Assert.Equal(new FindingSubject { Node = "knode1", Map = "cilium_snat_v4_external" }, finding.Subject);
        Assert.StartsWith("BPF map cilium_snat_v4_external on knode1 will be full in about ", finding.Summary, StringComparison.Ordinal);
        Assert.Contains("bpf-nat-global-max", finding.Hint, StringComparison.Ordinal);
        Assert.Contains("bpf.natMax", finding.Hint, StringComparison.Ordinal);
        var forecast = Assert.Single(engine.Engine.Forecasts);
        Assert.Equal(ForecastConfidence.Confident, forecast.Confidence);
    }

    [Fact]
    public void Engine_SameReadSeenTwice_OneSample()
    {
        using var engine = new EngineFixture();
        engine.Node(ClusterData.Node("knode1", mapPressure: ClusterData.Pressure(("cilium_ct4_global", 0.9))));
        engine.Derive();
        engine.Derive();

        var forecast = Assert.Single(engine.Engine.Forecasts);
        Assert.Equal(1, forecast.Samples);
        Assert.Equal(ForecastConfidence.TooShort, forecast.Confidence);
        Assert.DoesNotContain(engine.Derive(), f => f.Kind == FindingKinds.MapForecastFull);
    }
}
