#include "echo/subscriptions.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include <fmt/format.h>

#include "core/berlin_time.h"
#include "core/url.h"

namespace datenwerk::echo {

namespace {

// Metres between two positions (equirectangular: exact to well under a metre within a city).
double DistanceMetres(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kPerDegree = 111'320.0;
  const double mid = (lat1 + lat2) / 2 * std::numbers::pi / 180;
  const double dy = (lat2 - lat1) * kPerDegree;
  const double dx = (lon2 - lon1) * kPerDegree * std::cos(mid);
  return std::sqrt(dx * dx + dy * dy);
}

std::string GermanDecimal(double v, int digits) {
  std::string s = fmt::format("{:.{}f}", v, digits);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

std::string UnsubscribeUrl(const Subscription& s, const std::string& base_url) {
  return base_url + "/buergerecho/benachrichtigungen/abmelden/" + s.token;
}

std::string Line(const Report& r, const Services& services, const std::string& base_url, const std::string& what) {
  const Category* c = services.FindCategory(r.service_code);
  std::string line = "- Meldung " + std::to_string(r.id) + " (" + (c ? c->name : r.service_code) + "): " + what;
  if (!r.address.empty()) line += ", " + r.address;
  else if (!r.district.empty()) line += ", " + r.district;
  return line + "\n  " + base_url + "/buergerecho/meldungen/" + std::to_string(r.id) + "\n";
}

}  // namespace

Result<Subscription> CheckNewSubscription(std::string email, SubscriptionArea area,
                                          const std::vector<std::string>& districts, std::string token,
                                          int64_t now_ms) {
  if (Status s = CleanPlainText(email, 254, "email", true); !s.ok()) return s;
  if (email.empty() || !LooksLikeEmail(email)) return InvalidArgument("is not an e-mail address", "email");
  if (!area.district.empty()) {
    if (std::find(districts.begin(), districts.end(), area.district) == districts.end()) {
      return InvalidArgument("is not one of the city's districts", "bezirk");
    }
    area.lat = area.lon = std::nullopt;
    area.radius_m = 0;
  } else {
    if (!area.lat || !area.lon || !std::isfinite(*area.lat) || !std::isfinite(*area.lon) ||
        std::abs(*area.lat) > 90 || std::abs(*area.lon) > 180) {
      return InvalidArgument("needs a district or a position", "bezirk");
    }
    if (std::find(std::begin(kSubscriptionRadii), std::end(kSubscriptionRadii), area.radius_m) ==
        std::end(kSubscriptionRadii)) {
      return InvalidArgument("is not one of 250, 500, 1000, 2000 metres", "umkreis");
    }
  }
  Subscription s;
  s.token = std::move(token);
  s.email = std::move(email);
  s.area = std::move(area);
  s.created_ms = now_ms;
  s.last_sent_ms = now_ms;
  return s;
}

bool InArea(const SubscriptionArea& area, const Report& report) {
  if (!area.district.empty()) return report.district == area.district;
  if (!area.lat || !report.lat) return false;
  return DistanceMetres(*area.lat, *area.lon, *report.lat, *report.lon) <= area.radius_m;
}

std::string AreaLabel(const SubscriptionArea& area) {
  if (!area.district.empty()) return "Stadtbezirk " + area.district;
  if (!area.lat) return "";
  return fmt::format("{} m um {} N, {} O", static_cast<int64_t>(area.radius_m), GermanDecimal(*area.lat, 5),
                     GermanDecimal(*area.lon, 5));
}

mail::Mail ConfirmationMail(const Subscription& s, const std::string& base_url, int64_t now_ms) {
  mail::Mail m;
  m.to = s.email;
  m.subject = "Bitte bestätigen: Benachrichtigungen von BürgerEcho";
  m.body = "Guten Tag,\n\nSie (oder jemand mit Ihrer Adresse) möchten von BürgerEcho erfahren, was im Gebiet „" +
           AreaLabel(s.area) + "“ gemeldet wird und wie die Meldungen vorankommen.\n\n"
           "Bitte bestätigen Sie das innerhalb von 7 Tagen hier:\n" +
           base_url + "/buergerecho/benachrichtigungen/bestaetigen/" + s.token +
           "\n\nWenn Sie das nicht wollten, tun Sie nichts: Ohne Bestätigung erhalten Sie keine weitere Nachricht, "
           "und Ihre Adresse wird nach 7 Tagen gelöscht.\n";
  m.key = "buergerecho-abo:" + s.token;
  m.created_ms = now_ms;
  return m;
}

std::optional<mail::Mail> DigestMail(const Subscription& s, const Activity& activity, const Services& services,
                                     const std::string& base_url, int64_t now_ms) {
  const int64_t since = s.last_sent_ms;
  std::vector<const Report*> filed;
  for (const Report& r : activity.filed) {
    if (r.requested_ms > since && r.requested_ms <= now_ms && InArea(s.area, r)) filed.push_back(&r);
  }
  std::map<int64_t, const Report*> changed_by_id;
  for (const Report& r : activity.changed) changed_by_id[r.id] = &r;
  // The last change of each report in the period (its state now), in the order they happened.
  std::map<int64_t, const ReportEvent*> last_change;
  for (const ReportEvent& e : activity.changes) {
    if (e.at_ms <= since || e.at_ms > now_ms) continue;
    const auto it = changed_by_id.find(e.report_id);
    if (it != changed_by_id.end() && InArea(s.area, *it->second)) last_change[e.report_id] = &e;
  }
  std::vector<const ReportEvent*> changes;
  for (const auto& [id, e] : last_change) changes.push_back(e);
  std::sort(changes.begin(), changes.end(), [](auto* a, auto* b) { return a->at_ms < b->at_ms; });
  if (filed.empty() && changes.empty()) return std::nullopt;

  mail::Mail m;
  m.to = s.email;
  m.subject = fmt::format("BürgerEcho {}: {} neu, {} geändert", AreaLabel(s.area), filed.size(), changes.size());
  m.body = "Guten Tag,\n\nim Gebiet „" + AreaLabel(s.area) + "“ hat sich seit " + BerlinTime(since) +
           " Uhr Folgendes getan.\n";
  size_t listed = 0;
  if (!filed.empty()) {
    m.body += "\nNeue Meldungen (" + std::to_string(filed.size()) + "):\n";
    for (const Report* r : filed) {
      if (listed++ == kDigestMaxItems) break;
      m.body += Line(*r, services, base_url, StatusLabel(r->status));
    }
  }
  if (!changes.empty()) {
    m.body += "\nMeldungen mit neuem Stand (" + std::to_string(changes.size()) + "):\n";
    for (const ReportEvent* e : changes) {
      if (listed++ >= kDigestMaxItems) break;
      m.body += Line(*changed_by_id.at(e->report_id), services, base_url, "jetzt " + std::string(StatusLabel(e->status)));
    }
  }
  if (filed.size() + changes.size() > kDigestMaxItems) {
    m.body += "\n… und weitere. Alle Meldungen: " + base_url + "/buergerecho" +
              (s.area.district.empty() ? std::string() : "?bezirk=" + PercentEncode(s.area.district)) + "\n";
  }
  m.body += "\nSie erhalten diese Nachricht, weil Sie Benachrichtigungen für dieses Gebiet bestätigt haben. "
            "Abmelden: " + UnsubscribeUrl(s, base_url) + "\n";
  m.key = "buergerecho-abo:" + std::to_string(s.id) + ":" + std::to_string(now_ms);
  m.created_ms = now_ms;
  return m;
}

}  // namespace datenwerk::echo
