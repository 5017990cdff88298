// Draws the KPI series with uPlot. Progressive enhancement: the page carries the same values in
// a table, so nothing is lost when this script does not run.
(function () {
  "use strict";
  var holder = document.getElementById("kpi-chart");
  var source = document.getElementById("kpi-series");
  if (!holder || !source || typeof uPlot === "undefined" || !window.datenwerkUplot) return;
  var series;
  try { series = JSON.parse(source.textContent); } catch (e) { return; }
  if (!series.dates || series.dates.length === 0) return;
  var xs = series.dates.map(function (d) { return Date.parse(d + "T00:00:00Z") / 1000; });
  var german = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 3 });
  var width = Math.max(200, Math.min(holder.clientWidth || 640, 900));
  var opts = {
    width: width,
    fmtDate: datenwerkUplot.fmtDate,
    height: 300,
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"); },
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [
      { stroke: "#1a1a1a", values: datenwerkUplot.timeTicks },
      { stroke: "#1a1a1a", values: function (u, vals) { return vals.map(function (v) { return german.format(v); }); } }
    ],
    series: [
      { label: "Datum", value: datenwerkUplot.date },
      { label: series.label, stroke: "#004b87", width: 2, points: { show: true, size: 7, fill: "#004b87" },
        value: function (u, v) { return v == null ? "–" : german.format(v); } }
    ]
  };
  var plot = new uPlot(opts, [xs, series.values], holder);
  // Reflow: when the window narrows (a phone turned, a zoom to 400 %), the chart narrows with it.
  window.addEventListener("resize", function () {
    plot.setSize({ width: Math.max(200, Math.min(holder.clientWidth || 640, 900)), height: opts.height });
  });
})();
