using Bunit;
using CiliumDash.Alerts;
using CiliumDash.Components.Controls;
using CiliumDash.Findings;
using CiliumDash.Shared;
using CiliumDash.Tests.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace CiliumDash.Components.Tests;

/// <summary>The alert marker beside a finding: firing, silenced, the silence link; nothing without Alertmanager.</summary>
public sealed class FindingAlertBadgeTests : BunitContext
{
    private static readonly FindingSubject Subject = new() { Node = "knode1", Controller = "sync-lb-maps-with-k8s-services" };

    private static readonly Finding Failing = new(FindingsEngine.IdOf(FindingKinds.ControllerFailing, Subject), FindingSeverity.Warning, FindingKinds.ControllerFailing,
        Subject, "controller sync-lb-maps-with-k8s-services on knode1 is failing", null, [], ClusterData.Now);

    private readonly FakeTimeProvider _time = new(ClusterData.Now);

    private AlertStore Use(Uri? alertmanager)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(_time);
        Services.AddSingleton<AccessScopes>();
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new CiliumDash.Configuration.CiliumDashOptions()));
        // Created by the container, which disposes it with the context.
        Services.AddSingleton(_ => new AlertStore(_time, alertmanager, null));
        Services.AddSingleton<AlertReadModel>();
        AddAuthorization().SetAuthorized("alice");
        return Services.GetRequiredService<AlertStore>();
    }

    private static AlertmanagerAlert Alert(bool silenced) => new(new Dictionary<string, string>
    {
        ["alertname"] = "CiliumControllerFailing", ["node"] = "knode1", ["controller"] = "sync-lb-maps-with-k8s-services",
    }, silenced);

    [Fact]
    public void Badge_NoAlertmanagerConfigured_RendersNothing()
    {
        Use(null);

        var badge = Render<FindingAlertBadge>(p => p.Add(b => b.Finding, Failing));

        Assert.Equal("", badge.Markup.Trim());
    }

    [Fact]
    public void Badge_FiringAlert_ChipAndSilenceLinkWithMatchers()
    {
        var store = Use(new Uri("http://alertmanager.monitoring:9093/"));
        store.Set(new AlertSnapshot([Alert(silenced: false)], ClusterData.Now, null));

        var badge = Render<FindingAlertBadge>(p => p.Add(b => b.Finding, Failing));

        Assert.Equal("alert firing", badge.Find(".state-bad").TextContent);
        var link = badge.Find("a.finding-alert-silence");
        Assert.Equal("silence in Alertmanager", link.TextContent);
        Assert.StartsWith("http://alertmanager.monitoring:9093/#/silences/new?filter=", link.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains(Uri.EscapeDataString("controller=\"sync-lb-maps-with-k8s-services\""), link.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void Badge_AlertSilencedLater_ShowsSilencedWithoutALink()
    {
        var store = Use(new Uri("http://alertmanager.monitoring:9093/"));
        store.Set(new AlertSnapshot([Alert(silenced: false)], ClusterData.Now, null));
        var badge = Render<FindingAlertBadge>(p => p.Add(b => b.Finding, Failing));

        store.Set(new AlertSnapshot([Alert(silenced: true)], ClusterData.Now, null));
        _time.Advance(TimeSpan.FromSeconds(1));

        badge.WaitForAssertion(() => Assert.Equal("silenced", badge.Find(".state-off").TextContent));
        Assert.Empty(badge.FindAll("a.finding-alert-silence"));
    }

    [Fact]
    public void Badge_AlertmanagerUnreadable_SaysTheStateIsStale()
    {
        var store = Use(new Uri("http://alertmanager.monitoring:9093/"));
        store.Set(AlertSnapshot.Empty with { Error = "Alertmanager at http://alertmanager.monitoring:9093 could not be read: connection refused" });

        var badge = Render<FindingAlertBadge>(p => p.Add(b => b.Finding, Failing));

        Assert.Equal("alert state stale", badge.Find(".state-unknown").TextContent);
        Assert.Empty(badge.FindAll(".state-bad"));
    }
}
