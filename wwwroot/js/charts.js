// Time charts drawn with uPlot (wwwroot/lib/uplot): one chart per element, updated in place when Blazor pushes new
// points (already throttled by the store's change signal). Colours of axes and grid follow the page's scheme.
(function () {
  var charts = new WeakMap();

  function cssVar(name, fallback) {
    var v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return v || fallback;
  }

  function options(el, spec, width) {
    var text = cssVar("--mud-palette-text-secondary", "#59636e");
    var grid = cssVar("--mud-palette-lines-default", "rgba(128,128,128,.25)");
    var axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: "11px system-ui, sans-serif" };
    return {
      width: width,
      height: spec.height || 180,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(1, max * 1.1)]; } } },
      axes: [
        Object.assign({}, axis, { values: [[1, "{HH}:{mm}:{ss}", "\n{YYYY}-{MM}-{DD}", null, "\n{MM}-{DD}", null, null, null, 1]] }),
        Object.assign({}, axis, { label: spec.unit, labelFont: "11px system-ui, sans-serif", size: 56 })
      ],
      series: [{ label: "Time (UTC)", value: "{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}" }].concat(spec.series.map(function (s) {
        return { label: s.name, stroke: s.color.indexOf("--") === 0 ? cssVar(s.color, "#6e7781") : s.color, width: 1.5, points: { show: false }, paths: uPlot.paths && uPlot.paths.stepped ? uPlot.paths.stepped({ align: 1 }) : undefined, value: function (u, v) { return v == null ? "–" : v.toLocaleString("en-US") + " " + spec.unit; } };
      }))
    };
  }

  function data(spec) {
    return [spec.x].concat(spec.series.map(function (s) { return s.values; }));
  }

  function key(spec) {
    return spec.series.map(function (s) { return s.name + "|" + s.color; }).join(",") + "|" + document.documentElement.getAttribute("data-scheme");
  }

  function render(el, spec) {
    if (!el || !window.uPlot) { return; }
    var width = Math.max(200, el.clientWidth || 600);
    var current = charts.get(el);
    // uPlot keeps its series fixed: a new verdict or drop reason (or a theme change) rebuilds the chart.
    if (current && current.key === key(spec)) {
      current.plot.setData(data(spec));
      return;
    }

    if (current) { current.plot.destroy(); current.observer.disconnect(); }
    var plot = new uPlot(options(el, spec, width), data(spec), el);
    var observer = new ResizeObserver(function () {
      var w = Math.max(200, el.clientWidth || width);
      if (Math.abs(w - plot.width) > 2) { plot.setSize({ width: w, height: plot.height }); }
    });
    observer.observe(el);
    charts.set(el, { plot: plot, key: key(spec), observer: observer });
  }

  function dispose(el) {
    var current = el && charts.get(el);
    if (current) { current.plot.destroy(); current.observer.disconnect(); charts.delete(el); }
  }

  window.ciliumDashCharts = { render: render, dispose: dispose };
})();
