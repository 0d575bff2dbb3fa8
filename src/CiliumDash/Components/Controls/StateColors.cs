using CiliumDash.Shared;

namespace CiliumDash.Components.Controls;

/// <summary>The CSS tone of a state word (<c>state-ok</c>, ...): <see cref="StateTones"/>, which the SVG images use too.</summary>
public static class StateColors
{
    public static string Css(string? state) => StateTones.Of(state);
}
