// /klima/stationen/{id} and /klima/messreihen/{id}: one station with its latest values, and one
// series over a range as chart (min/max band, mean line) and the same numbers as a table.
#include <boost/json.hpp>

#include "core/json_text.h"
#include "core/berlin_time.h"
#include "klima/pages_internal.h"
#include "web/html.h"

namespace datenwerk::klima {

using web::Escape;
using web::GermanNumber;

size_t ParsePage(const std::string& text) {
  size_t page = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || page > 1'000'000) return 1;
    page = page * 10 + static_cast<size_t>(c - '0');
  }
  return page == 0 ? 1 : page;
}

std::string ShortName(const std::string& stream_name) {
  const size_t dash = stream_name.find(" – ");
  return dash == std::string::npos ? stream_name : stream_name.substr(0, dash);
}

std::string OriginBadges(const StationState& station) {
  std::string out;
  if (station.simulated) out += " <span class=\"stage\">Simuliert</span>";
  if (station.replay) out += " <span class=\"stage\">Wiedergabe</span>";
  return out;
}

std::string Pager(size_t page, size_t pages, const std::string& kind, const std::string& district,
                  const std::string& site) {
  const auto link = [&](size_t to, const std::string& label) {
    return "<a href=\"/klima?art=" + http::PercentEncode(kind) + "&amp;bezirk=" +
           http::PercentEncode(district) + "&amp;standort=" + http::PercentEncode(site) +
           "&amp;seite=" + std::to_string(to) + "#messstellen\">" + label + "</a>";
  };
  std::string out = "<nav aria-label=\"Seiten der Tabelle\"><p>";
  if (page > 1) out += link(page - 1, "Vorherige Seite") + " ";
  if (page < pages) out += link(page + 1, "Nächste Seite");
  return out + "</p></nav>\n";
}

http::Response StationPage(const KlimaSnapshot& s, const StationState& st, const KlimaOptions& o) {
  web::Page p;
  p.title = st.name;
  p.current_nav = "/klima";
  p.breadcrumbs = {{"Start", "/"}, {"Klima-Dashboard", "/klima"}};
  std::string& b = p.body;
  b += OriginNotice(st.simulated, st.replay);
  b += "<dl class=\"facts\"><dt>Art</dt><dd>" + Escape(st.kind) + "</dd>";
  if (!st.site.empty()) {
    b += "<dt>Standort</dt><dd><a href=\"/klima?standort=" + http::PercentEncode(st.site) +
         "#messstellen\">" + Escape(st.site) + "</a> (alle Messstellen dort)</dd>";
  }
  b += "<dt>Stadtbezirk</dt><dd>" + Escape(st.district.empty() ? "–" : st.district) + "</dd>";
  if (st.lon_lat) {
    b += "<dt>Lage</dt><dd>" + GermanNumber(std::round(st.lon_lat->second * 1e5) / 1e5) + " N, " +
         GermanNumber(std::round(st.lon_lat->first * 1e5) / 1e5) + " O</dd>";
  }
  b += "<dt>Zustand</dt><dd>" + StateOf(st, s.built_ms) +
       (st.latest_ms ? ", neueste Messung " + BerlinTime(*st.latest_ms) : std::string()) + "</dd>";
  if (!st.source.empty()) b += "<dt>Quelle</dt><dd>" + Escape(st.source) + "</dd>";
  b += "</dl>\n<h2>Messreihen</h2>\n<div class=\"table-wrap\"><table>\n<caption>Neueste Werte der "
       "Messreihen</caption>\n<thead><tr><th scope=\"col\">Messreihe</th><th scope=\"col\" "
       "class=\"num\">Wert</th><th scope=\"col\">Zeit</th></tr></thead>\n<tbody>\n";
  for (const auto& d : st.streams) {
    b += "<tr><td><a href=\"/klima/messreihen/" + std::to_string(d.id) + "\">" +
         Escape(ShortName(d.name)) + "</a></td><td class=\"num\">" + ValueText(d) + "</td><td>" +
         (d.latest ? BerlinTime(d.latest->time_ms) : "–") + "</td></tr>\n";
  }
  b += "</tbody></table></div>\n<p class=\"muted\">" + std::string(kLicenceNote) + "</p>\n";
  return web::RenderPage(o.portal, p);
}

http::Response SeriesPage(const StationState& st, const StreamState& d, const SeriesView& view,
                          const KlimaOptions& o) {
  web::Page p;
  p.title = ShortName(d.name) + " – " + st.name;
  p.current_nav = "/klima";
  p.breadcrumbs = {{"Start", "/"}, {"Klima-Dashboard", "/klima"},
                   {st.name, "/klima/stationen/" + std::to_string(st.id)}};
  std::string& b = p.body;
  b += OriginNotice(st.simulated, st.replay);
  const std::string self = "/klima/messreihen/" + std::to_string(d.id);
  b += "<nav aria-label=\"Zeitraum\"><ul class=\"ranges\">";
  for (const Range& r : Ranges()) {
    b += "<li><a href=\"" + self + "?zeitraum=" + r.key + "\"" +
         (r.key == view.range->key ? " aria-current=\"page\"" : "") + ">" + r.label + "</a></li>";
  }
  b += "</ul></nav>\n";
  if (view.buckets.empty()) {
    b += "<p>Keine Messwerte in diesem Zeitraum.</p>\n";
    return web::RenderPage(o.portal, p);
  }
  b += "<p>" + Escape(view.range->label) + " bis zur neuesten Messung (" +
       BerlinTime(view.to_ms - 1) + "), zusammengefasst je " +
       (view.range->bucket == "15m" ? "15 Minuten" : view.range->bucket == "1h" ? "Stunde"
        : view.range->bucket == "6h" ? "6 Stunden" : "Tag") +
       ": Mittelwert, Minimum und Maximum.</p>\n";
  // The chart's data (also in the table below: the chart is only drawn with JavaScript).
  boost::json::array t, mins, means, maxs;
  for (const auto& bucket : view.buckets) {
    const auto& v = bucket.values;
    t.emplace_back(bucket.start_ms / 1000);
    mins.emplace_back(v.min);
    means.emplace_back(v.sum / static_cast<double>(v.count));
    maxs.emplace_back(v.max);
  }
  std::string json = ToJsonText(boost::json::object{
      {"label", ShortName(d.name)}, {"unit", d.unit}, {"t", t}, {"min", mins}, {"mean", means},
      {"max", maxs}});
  // Inside <script>, "</script" must not appear: '<' is written as its JSON escape.
  for (size_t at = json.find('<'); at != std::string::npos; at = json.find('<', at)) {
    json.replace(at, 1, "\\u003c");
  }
  b += "<figure class=\"chart-figure\"><div id=\"series-chart\" class=\"chart\" role=\"img\" "
       "aria-label=\"Diagramm " + Escape(ShortName(d.name)) + "; die Werte stehen in der Tabelle "
       "darunter\"></div><figcaption>Linie: Mittelwert; Fläche: Minimum bis Maximum.</figcaption>"
       "</figure>\n<script type=\"application/json\" id=\"series-data\">" + json + "</script>\n";
  b += "<div class=\"table-wrap\"><table id=\"werte\">\n<caption>" + Escape(ShortName(d.name)) +
       (d.unit.empty() ? "" : " in " + Escape(d.unit)) + "</caption>\n<thead><tr><th scope=\"col\">Beginn</th>"
       "<th scope=\"col\" class=\"num\">Mittel</th><th scope=\"col\" class=\"num\">Minimum</th>"
       "<th scope=\"col\" class=\"num\">Maximum</th><th scope=\"col\" class=\"num\">Messwerte</th>"
       "</tr></thead>\n<tbody>\n";
  for (auto it = view.buckets.rbegin(); it != view.buckets.rend(); ++it) {
    const auto& v = it->values;
    b += "<tr><td>" + BerlinTime(it->start_ms) + "</td><td class=\"num\">" +
         GermanNumber(std::round(v.sum / static_cast<double>(v.count) * 1000) / 1000) +
         "</td><td class=\"num\">" + GermanNumber(v.min) + "</td><td class=\"num\">" +
         GermanNumber(v.max) + "</td><td class=\"num\">" + std::to_string(v.count) + "</td></tr>\n";
  }
  b += "</tbody></table></div>\n<h2>Diese Ansicht herunterladen</h2>\n<ul><li><a href=\"" + self +
       "/daten.csv?zeitraum=" + view.range->key + "\">als CSV</a></li><li><a href=\"" + self +
       "/daten.geojson?zeitraum=" + view.range->key + "\">als GeoJSON</a></li></ul>\n"
       "<p class=\"muted\">" + std::string(kLicenceNote) + "</p>\n";
  p.head_extra = "<link rel=\"stylesheet\" href=\"/static/uPlot.min.css\">\n";
  p.scripts = "<script src=\"/static/uPlot.iife.min.js\"></script>\n<script src=\"/static/uplot-de.js\"></script>\n"
              "<script src=\"/static/klima-chart.js\"></script>\n";
  return web::RenderPage(o.portal, p);
}

}  // namespace datenwerk::klima
