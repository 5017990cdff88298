// /klima: the overview — the map, notices, heavy rain, irrigation need and the sensor table.
#include <limits>

#include "core/berlin_time.h"
#include "klima/pages_internal.h"
#include "web/html.h"

namespace datenwerk::klima {

using web::Escape;
using web::GermanNumber;

namespace {

constexpr size_t kRowsPerPage = 100;
constexpr size_t kTopRows = 20;  // rows of the rain and irrigation tables

// Shape and text per kind: the map and the table never tell kinds apart by colour alone.
std::string KindMark(const std::string& kind) {
  const char* shape = kind == "Wetterstation" ? "▲" : kind == "Gewässer" || kind == "Seesonde" ? "◆"
                      : kind == "Baum" ? "♣" : kind == "Bodenfeuchte" ? "●" : kind == "Regenmesser" ? "▼"
                      : kind == "Glascontainer" ? "■" : kind == "Luftmessstation" ? "◇" : "✚";
  return std::string("<span class=\"mk\" aria-hidden=\"true\">") + shape + "</span> " + Escape(kind);
}

std::string AlertSection(const KlimaSnapshot& s, const KlimaOptions& o) {
  if (!o.active_alerts) return "";
  const std::vector<ActiveAlert> active = o.active_alerts();
  std::string b = "<h2 id=\"warnungen\">Aktive Warnungen</h2>\n";
  if (active.empty()) return b + "<p>Zurzeit keine aktiven Warnungen.</p>\n";
  b += "<div class=\"table-wrap\"><table><caption>Warnungen der Regeln des Smart-City-Teams, neueste zuerst</caption>\n<thead><tr>"
       "<th scope=\"col\">Warnung</th><th scope=\"col\">Stufe</th><th scope=\"col\">Messstelle</th>"
       "<th scope=\"col\">seit</th><th scope=\"col\" class=\"num\">Wert</th><th scope=\"col\">Stand</th>"
       "</tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < active.size() && i < 50; ++i) {
    const ActiveAlert& a = active[i];
    std::string where = "Datenreihe " + std::to_string(a.datastream);
    for (const auto& station : s.stations) {
      for (const auto& stream : station.streams) {
        if (stream.id != a.datastream) continue;
        where = "<a href=\"/klima/stationen/" + std::to_string(station.id) + "\">" + Escape(station.name) + "</a> (" +
                Escape(stream.name) + ")";
      }
    }
    const std::string level = a.severity == "kritisch" ? "⚠ kritisch" : a.severity == "info" ? "ℹ Info" : "! Warnung";
    b += "<tr><td>" + Escape(a.rule_name) + "</td><td>" + level + "</td><td>" + where + "</td><td>" +
         BerlinTime(a.since_ms) + "</td><td class=\"num\">" + GermanNumber(a.value) + "</td><td>" +
         (a.acknowledged ? "in Bearbeitung" : "neu") + "</td></tr>\n";
  }
  return b + "</tbody></table></div>\n";
}

std::string RainSection(const KlimaSnapshot& s) {
  // The wettest gauges first (last hour, then day); all of them are in the downloads.
  std::vector<std::pair<const StationState*, const StreamState*>> gauges;
  for (const auto& station : s.stations) {
    for (const auto& stream : station.streams) {
      if (stream.rain) gauges.emplace_back(&station, &stream);
    }
  }
  if (gauges.empty()) return "";
  std::stable_sort(gauges.begin(), gauges.end(), [](const auto& a, const auto& b) {
    return std::pair(a.second->rain->last_hour, a.second->rain->last_day) >
           std::pair(b.second->rain->last_hour, b.second->rain->last_day);
  });
  std::string rows;
  for (size_t i = 0; i < gauges.size() && i < kTopRows; ++i) {
    const auto& [station, stream] = gauges[i];
    rows += "<tr><td><a href=\"/klima/stationen/" + std::to_string(station->id) + "\">" +
            Escape(station->name) + "</a></td><td class=\"num\">" +
            GermanNumber(stream->rain->last_hour) + " mm</td><td class=\"num\">" +
            GermanNumber(stream->rain->last_day) + " mm</td><td>" + BerlinTime(stream->latest->time_ms) +
            "</td></tr>\n";
  }
  const std::string shown = gauges.size() > kTopRows
      ? "Die " + std::to_string(kTopRows) + " von " + std::to_string(gauges.size()) +
            " Messstellen mit dem meisten Regen; alle stehen in der Tabelle der Messstellen und in den Downloads."
      : "";
  return "<h2 id=\"starkregen\">Niederschlag: letzte Stunde und letzter Tag</h2>\n"
         "<p>Summe der gemessenen Regenmengen je Messstelle in der Stunde und in den 24 Stunden vor "
         "ihrer neuesten Messung. " + shown + "</p>\n<div class=\"table-wrap\"><table>\n<caption>Regenmengen je "
         "Messstelle</caption>\n<thead><tr><th scope=\"col\">Messstelle</th><th scope=\"col\" "
         "class=\"num\">Letzte Stunde</th><th scope=\"col\" class=\"num\">Letzte 24 Stunden</th>"
         "<th scope=\"col\">Stand</th></tr></thead>\n<tbody>\n" + rows + "</tbody></table></div>\n";
}

// How soon a soil sensor needs water: below its threshold now first, then by the date its trend
// meets the threshold, then those without a falling trend.
int64_t Urgency(const StreamState& s) {
  if (!s.outlook) return std::numeric_limits<int64_t>::max();
  if (s.outlook->below_threshold) return std::numeric_limits<int64_t>::min();
  return s.outlook->reaches_at_ms.value_or(std::numeric_limits<int64_t>::max() - 1);
}

std::string IrrigationSection(const KlimaSnapshot& s) {
  std::vector<std::pair<const StationState*, const StreamState*>> soils;
  for (const auto& station : s.stations) {
    for (const auto& stream : station.streams) {
      if (stream.quantity == "bodenfeuchte" && stream.latest) soils.emplace_back(&station, &stream);
    }
  }
  std::stable_sort(soils.begin(), soils.end(), [](const auto& a, const auto& b) {
    return Urgency(*a.second) < Urgency(*b.second);
  });
  std::string rows;
  for (size_t i = 0; i < soils.size() && i < kTopRows; ++i) {
    const StationState& station = *soils[i].first;
    const StreamState& stream = *soils[i].second;
    {
      std::string outlook = "zu wenige Messwerte für einen Trend";
      std::string trend = "–";
      if (stream.outlook) {
        trend = GermanNumber(std::round(stream.outlook->per_day * 10) / 10) + " " + stream.unit + " pro Tag";
        outlook = stream.outlook->below_threshold ? "<strong>Bewässerung nötig</strong> (unter dem Schwellwert)"
                  : stream.outlook->reaches_at_ms ? "Schwellwert erreicht etwa " + BerlinTime(*stream.outlook->reaches_at_ms)
                                                  : "Boden wird nicht trockener";
      }
      rows += "<tr><td>" + Escape(station.site.empty() ? station.name : station.site) +
              "</td><td><a href=\"/klima/messreihen/" + std::to_string(stream.id) + "\">" +
              Escape(station.name) + "</a></td><td class=\"num\">" + ValueText(stream) +
              "</td><td class=\"num\">" + GermanNumber(stream.threshold) + " " + Escape(stream.unit) +
              "</td><td>" + trend + "</td><td>" + outlook + "</td></tr>\n";
    }
  }
  if (rows.empty()) return "";
  const std::string shown = soils.size() > kTopRows
      ? " Die " + std::to_string(kTopRows) + " von " + std::to_string(soils.size()) +
            " Sensoren, die zuerst Wasser brauchen; alle stehen in der Tabelle der Messstellen."
      : "";
  return "<h2 id=\"bewaesserung\">Bewässerungsbedarf</h2>\n<p>Bodenfeuchte je Sensor gegen den "
         "Schwellwert seines Standorts. Der Trend ist die Ausgleichsgerade durch die Messwerte der "
         "letzten 48 Stunden; fällt sie, steht dort, wann sie den Schwellwert bei gleichem Tempo "
         "erreicht (eine Fortschreibung, keine Vorhersage: Regen und Gießen ändern sie)." + shown + "</p>\n"
         "<div class=\"table-wrap\"><table>\n<caption>Bodenfeuchte und Bewässerungsbedarf</caption>\n"
         "<thead><tr><th scope=\"col\">Standort</th><th scope=\"col\">Sensor</th><th scope=\"col\" "
         "class=\"num\">Aktuell</th><th scope=\"col\" class=\"num\">Schwellwert</th><th "
         "scope=\"col\">Trend</th><th scope=\"col\">Ausblick</th></tr></thead>\n<tbody>\n" + rows +
         "</tbody></table></div>\n";
}

}  // namespace

http::Response OverviewPage(const KlimaSnapshot& s, const http::Request& r, const KlimaOptions& o) {
  const std::string& kind = r.Query("art");
  const std::string& district = r.Query("bezirk");
  const std::string& site = r.Query("standort");
  std::vector<const StationState*> shown;
  std::set<std::string> kinds, districts, sites;
  for (const auto& station : s.stations) {
    kinds.insert(station.kind);
    if (!station.district.empty()) districts.insert(station.district);
    if (!station.site.empty()) sites.insert(station.site);
    if ((kind.empty() || station.kind == kind) && (district.empty() || station.district == district) &&
        (site.empty() || station.site == site)) {
      shown.push_back(&station);
    }
  }
  const size_t pages = std::max<size_t>(1, (shown.size() + kRowsPerPage - 1) / kRowsPerPage);
  const size_t page = std::clamp<size_t>(ParsePage(r.Query("seite")), 1, pages);

  web::Page p;
  p.title = "Klima-Dashboard";
  p.current_nav = "/klima";
  p.lead = "Messwerte der Klima- und Umweltsensoren in " + Escape(o.portal.city_name) +
           ": Wetterstationen, Gewässer, Bäume, Böden und mehr – als Karte und als Tabelle.";
  std::string& b = p.body;
  b += OriginNotice(s.simulated > 0, s.replayed > 0);
  int current = 0;
  for (const auto& station : s.stations) current += StateOf(station, s.built_ms) == "aktuell" ? 1 : 0;
  b += "<ul class=\"figures\"><li><span class=\"figure\">" + GermanNumber(static_cast<double>(s.stations.size())) +
       "</span> Messstellen</li><li><span class=\"figure\">" + GermanNumber(current) +
       "</span> mit aktuellen Werten</li>";
  if (s.simulated > 0) b += "<li><span class=\"figure\">" + GermanNumber(s.simulated) + "</span> simuliert</li>";
  if (s.replayed > 0) b += "<li><span class=\"figure\">" + GermanNumber(s.replayed) + "</span> in Wiedergabe</li>";
  b += "</ul>\n";
  // The map first: where the sensors are is what people come for; the sections follow it.
  b += "<h2 id=\"karte-titel\">Karte</h2>\n<div id=\"karte\" class=\"map\" role=\"region\" "
       "aria-labelledby=\"karte-titel\" data-tiles=\"" + Escape(o.tiles_url) + "\" data-tiles-attribution=\"" +
       Escape(o.tiles_attribution) + "\"><p class=\"muted\">Die Karte braucht JavaScript. Alle "
       "Messstellen stehen auch in der Tabelle unten.</p></div>\n<p class=\"muted\">Form und Text "
       "zeigen die Art der Messstelle (▲ Wetterstation, ◆ Gewässer, ♣ Baum, ● Bodenfeuchte, ▼ "
       "Regenmesser, ◇ Luftmessstation, ■ Glascontainer). Auf der Karte: Tabulator wählt eine Messstelle, Eingabe "
       "öffnet ihre Werte, Pfeiltasten verschieben die Karte. Bezirksgrenzen: " +
       std::string(kAttributionGeo) + ".</p>\n";
  b += AlertSection(s, o);
  b += RainSection(s);
  b += IrrigationSection(s);
  b += "<h2 id=\"messstellen\">Alle Messstellen</h2>\n<form class=\"filter\" method=\"get\" "
       "action=\"/klima#messstellen\">\n<div><label for=\"art\">Art</label><br><select id=\"art\" "
       "name=\"art\"><option value=\"\">alle</option>";
  for (const auto& k : kinds) {
    b += "<option" + std::string(k == kind ? " selected" : "") + ">" + Escape(k) + "</option>";
  }
  b += "</select></div>\n<div><label for=\"bezirk\">Stadtbezirk</label><br><select id=\"bezirk\" "
       "name=\"bezirk\"><option value=\"\">alle</option>";
  for (const auto& d : districts) {
    b += "<option" + std::string(d == district ? " selected" : "") + ">" + Escape(d) + "</option>";
  }
  b += "</select></div>\n<div><label for=\"standort\">Standort</label><br><select id=\"standort\" "
       "name=\"standort\"><option value=\"\">alle</option>";
  for (const auto& name : sites) {
    b += "<option" + std::string(name == site ? " selected" : "") + ">" + Escape(name) + "</option>";
  }
  b += "</select></div>\n<div><button type=\"submit\">Anzeigen</button></div>\n</form>\n";
  b += "<p>" + GermanNumber(static_cast<double>(shown.size())) + " Messstellen";
  if (pages > 1) b += ", Seite " + std::to_string(page) + " von " + std::to_string(pages);
  b += ".</p>\n<div class=\"table-wrap\"><table>\n<caption>Messstellen mit ihren neuesten "
       "Werten</caption>\n<thead><tr><th scope=\"col\">Messstelle</th><th scope=\"col\">Art</th>"
       "<th scope=\"col\">Stadtbezirk</th><th scope=\"col\">Zustand</th><th scope=\"col\">Neueste "
       "Werte</th></tr></thead>\n<tbody>\n";
  for (size_t i = (page - 1) * kRowsPerPage; i < shown.size() && i < page * kRowsPerPage; ++i) {
    const StationState& st = *shown[i];
    std::string values;
    for (size_t k = 0; k < st.streams.size() && k < 3; ++k) {
      if (!values.empty()) values += "; ";
      values += Escape(ShortName(st.streams[k].name)) + ": " + ValueText(st.streams[k]);
    }
    if (st.streams.size() > 3) values += "; …";
    b += "<tr><td><a href=\"/klima/stationen/" + std::to_string(st.id) + "\">" + Escape(st.name) +
         "</a>" + OriginBadges(st) + "</td><td>" + KindMark(st.kind) + "</td><td>" +
         Escape(st.district.empty() ? "–" : st.district) + "</td><td>" + StateOf(st, s.built_ms) +
         (st.latest_ms ? " (" + BerlinTime(*st.latest_ms) + ")" : "") + "</td><td>" + values + "</td></tr>\n";
  }
  b += "</tbody></table></div>\n";
  if (pages > 1) b += Pager(page, pages, kind, district, site);
  b += "<h2 id=\"downloads\">Daten herunterladen</h2>\n<ul>\n<li><a href=\"/klima/sensoren.csv\">Alle "
       "Messstellen mit neuesten Werten als CSV</a></li>\n<li><a href=\"/klima/sensoren.geojson\">Alle "
       "Messstellen als GeoJSON</a></li>\n<li><a href=\"/klima/grenzen.geojson\">Stadt- und "
       "Bezirksgrenzen als GeoJSON</a></li>\n</ul>\n<p class=\"muted\">" + std::string(kLicenceNote) + "</p>\n";
  p.head_extra = "<link rel=\"stylesheet\" href=\"/static/leaflet.css\">\n";
  p.scripts = "<script src=\"/static/leaflet.js\"></script>\n<script src=\"/static/map-base.js\"></script>\n<script src=\"/static/klima-map.js\"></script>\n";
  return web::RenderPage(o.portal, p);
}

}  // namespace datenwerk::klima
