// uPlot speaks German on Datenwerk's pages: month and weekday names, 24-hour times and day.month.
// dates on the time axis (uPlot's defaults show "2am" and "12/5/26"), and the same in the legend.
// Loaded after uPlot and before the chart scripts, which take their settings from here.
(function () {
  "use strict";
  var names = {
    MMMM: ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
      "Oktober", "November", "Dezember"],
    MMM: ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
    WWWW: ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"],
    WWW: ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"]
  };
  var s = 1, m = 60, h = 3600, d = 86400, y = 365 * d;
  // uPlot's table of tick labels: [smallest step in seconds, label, then what is added when the
  // year, month, day, hour, minute or second rolls over, and 1: add it to the label].
  var ticks = [
    [y, "{YYYY}", null, null, null, null, null, null, 1],
    [d * 28, "{MMM}", "\n{YYYY}", null, null, null, null, null, 1],
    [d, "{D}.{M}.", "\n{YYYY}", null, null, null, null, null, 1],
    [h, "{HH}:{mm}", "\n{D}.{M}.{YYYY}", null, "\n{D}.{M}.", null, null, null, 1],
    [m, "{HH}:{mm}", "\n{D}.{M}.{YYYY}", null, "\n{D}.{M}.", null, null, null, 1],
    [s, ":{ss}", "\n{D}.{M}.{YYYY} {HH}:{mm}", null, "\n{D}.{M}. {HH}:{mm}", null, "\n{HH}:{mm}", null, 1]
  ];
  window.datenwerkUplot = {
    fmtDate: function (template) { return uPlot.fmtDate(template, names); },
    timeTicks: ticks,
    dateTime: "{DD}.{MM}.{YYYY} {HH}:{mm}",
    date: "{DD}.{MM}.{YYYY}"
  };
})();
