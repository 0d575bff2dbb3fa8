namespace CiliumDash.Components.Controls;

/// <summary>One line of a <see cref="TimeChart"/>: its name in the legend, its colour, and a value per x (null for none).</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<double?> Values);
