// Draws a series of the Klima-Dashboard with uPlot: the mean as a line, minimum to maximum as a
// band. Progressive enhancement: the same numbers are in the table under it.
(function () {
  "use strict";
  var holder = document.getElementById("series-chart");
  var source = document.getElementById("series-data");
  if (!holder || !source || typeof uPlot === "undefined" || !window.datenwerkUplot) return;
  var data;
  try { data = JSON.parse(source.textContent); } catch (e) { return; }
  if (!data.t || data.t.length === 0) return;
  var german = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 2 });
  var unit = data.unit ? " " + data.unit : "";
  var show = function (u, v) { return v == null ? "–" : german.format(v) + unit; };
  var width = Math.max(200, Math.min(holder.clientWidth || 640, 900));
  var opts = {
    width: width,
    height: 300,
    fmtDate: datenwerkUplot.fmtDate,
    tzDate: function (ts) { return uPlot.tzDate(new Date(ts * 1000), "Europe/Berlin"); },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [{ stroke: "#1a1a1a", values: datenwerkUplot.timeTicks },
      { stroke: "#1a1a1a", values: function (u, vals) { return vals.map(function (v) { return german.format(v); }); } }],
    series: [
      { label: "Zeit", value: datenwerkUplot.dateTime },
      { label: "Minimum", stroke: "#5b7fa6", width: 1, dash: [4, 4], value: show },
      { label: "Mittel", stroke: "#004b87", width: 2, value: show },
      { label: "Maximum", stroke: "#5b7fa6", width: 1, value: show }
    ],
    bands: [{ series: [3, 1], fill: "rgba(0, 75, 135, 0.15)" }]
  };
  var plot = new uPlot(opts, [data.t, data.min, data.mean, data.max], holder);
  // Reflow: when the window narrows (a phone turned, a zoom to 400 %), the chart narrows with it.
  window.addEventListener("resize", function () {
    plot.setSize({ width: Math.max(200, Math.min(holder.clientWidth || 640, 900)), height: opts.height });
  });
})();
