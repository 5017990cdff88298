#include "echo/page_routes.h"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "core/berlin_time.h"
#include "core/dates.h"
#include "echo/open311.h"
#include "echo/pages.h"
#include "echo/rate_limit.h"
#include "echo/uploads.h"
#include "web/portal.h"

namespace datenwerk::echo {

namespace {

constexpr int64_t kPerPage = 50;

http::Response SeeOther(const std::string& location) {
  http::Response r;
  r.status = 303;
  r.content_type.clear();
  return r.With("Location", location);
}

std::optional<int64_t> PositiveNumber(const std::string& text) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 1) return std::nullopt;
  return v;
}

// The form's fields by name; the field a refusal names, as the form calls it.
std::string FormField(const std::string& field) {
  if (field == "description") return "beschreibung";
  if (field == "lat" || field == "long") return "breite";
  if (field == "address_string") return "adresse";
  if (field == "first_name") return "name";
  if (field.starts_with("attribute[") && field.ends_with("]")) return "merkmal-" + field.substr(10, field.size() - 11);
  return field;
}

// The list's and the map's filters: kategorie, stand (offen, erledigt), bezirk, and von and bis
// (days of filing, Berlin time: "2026-12-01" or "1.12.2026"; anything else is no filter).
ReportQuery FilterOf(const http::Request& r) {
  ReportQuery q;
  if (!r.Query("kategorie").empty()) q.service_codes = {r.Query("kategorie")};
  if (r.Query("stand") == "offen") q.open = true;
  if (r.Query("stand") == "erledigt") q.open = false;
  q.district = r.Query("bezirk");
  auto day = [&](const char* name) -> std::optional<int64_t> {
    const std::string& text = r.Query(name);
    if (text.empty() || text.size() > 20) return std::nullopt;
    const auto iso = ParseGermanOrIsoDate(text);
    return iso ? DaysFromIsoDate(*iso) : std::nullopt;
  };
  if (const auto from = day("von")) q.requested_from_ms = BerlinMidnightMs(*from);
  if (const auto to = day("bis")) q.requested_to_ms = BerlinMidnightMs(*to + 1) - 1;
  return q;
}

}  // namespace

std::shared_ptr<RateLimiter> MakeLimiter(const FormLimits& limits, const std::string& scope) {
  if (limits.shared_limits) {
    return std::make_shared<RateLimiter>(limits.burst, limits.refill_ms, *limits.shared_limits, scope);
  }
  return std::make_shared<RateLimiter>(limits.burst, limits.refill_ms);
}

void RegisterEchoPages(http::Router& router, std::shared_ptr<const Services> services, const CityArea& area,
                       ReportStore& store, AddressStore& addresses, AddressLocator& locator, const Clock& clock,
                       const web::PortalOptions& portal, FormLimits limits) {
  auto limiter = MakeLimiter(limits, "buergerecho.formulare");
  router.Add("GET", "/buergerecho", [services, &area, &store, &portal](const http::Request& r) {
    ReportQuery q = FilterOf(r);
    ListView view;
    if (area.districts) view.districts = area.districts->Names();
    auto total = store.Count(q);
    if (!total.ok()) return http::ErrorResponse(total.status());
    view.total = *total;
    view.pages = std::max<int64_t>(1, (view.total + kPerPage - 1) / kPerPage);
    view.page = std::clamp<int64_t>(PositiveNumber(r.Query("seite")).value_or(1), 1, view.pages);
    q.limit = kPerPage;
    q.offset = (view.page - 1) * kPerPage;
    auto found = store.List(q);
    if (!found.ok()) return http::ErrorResponse(found.status());
    view.reports = std::move(found).value();
    return ReportListPage(view, *services, r, portal);
  });
  // The map's markers for the view the browser shows (report_map.h).
  router.Add("GET", "/buergerecho/karte.json", [services, &store](const http::Request& r) {
    auto view = ParseMapView(r.Query("bbox"), r.Query("zoom"));
    if (!view.ok()) return http::ErrorResponse(view.status());
    auto cells = store.MapCells(FilterOf(r), *view, GridFor(*view));
    if (!cells.ok()) return http::ErrorResponse(cells.status());
    http::Response answer;
    answer.body = MapJson(*cells, *services);
    return answer.With("Cache-Control", "public, max-age=30");
  });
  router.Add("GET", "/buergerecho/melden", [services, &portal, limits](const http::Request& r) {
    return ReportFormPage(*services, services->FindCategory(r.Query("kategorie")), {}, limits.retention_days, portal);
  });
  // Address suggestions for the form's script: at most 10, from three characters on.
  router.Add("GET", "/buergerecho/adressen.json", [&addresses](const http::Request& r) {
    const std::string& q = r.Query("q");
    if (q.size() > 200) return http::ErrorResponse(InvalidArgument("is longer than 200 bytes", "q"));
    auto found = addresses.Search(q, 10);
    if (!found.ok()) return http::ErrorResponse(found.status());
    boost::json::array list;
    for (const Address& a : *found) {
      list.push_back(boost::json::object{{"label", a.Label()}, {"lat", a.lat}, {"lon", a.lon}});
    }
    http::Response answer;
    answer.body = boost::json::serialize(list);
    return answer.With("Cache-Control", "public, max-age=3600");
  });
  router.Add("POST", "/buergerecho/melden", [services, &area, &store, &locator, &clock, &portal, limiter,
                                              limits](const http::Request& r) {
    int64_t wait_ms = 0;
    if (!limiter->Allow(r.remote_address, clock.NowMs(), &wait_ms)) return BusyPage(wait_ms, portal);
    auto form = ParseFiling(r.Header("content-type"), r.body);
    if (!form.ok()) return web::RenderPage(portal, {"Ungültige Eingabe", {}, "<p>Das Formular kam unlesbar an.</p>"}, 400);
    FormState state;
    for (const auto& [name, value] : form->fields) state.values[name].push_back(value);
    auto first = [&](const std::string& name) {
      const auto it = state.values.find(name);
      return it == state.values.end() || it->second.empty() ? std::string() : it->second.front();
    };
    const Category* category = services->FindCategory(first("kategorie"));
    if (!category) return ReportFormPage(*services, nullptr, {}, limits.retention_days, portal);
    // Bots fill the field people cannot see: they get the answer, the city gets nothing.
    if (!first("homepage").empty()) {
      Report none;
      return ReportCreatedPage(none, *services, portal);
    }
    NewReport n;
    n.service_code = category->code;
    n.description = first("beschreibung");
    n.address = first("adresse");
    n.email = first("email");
    n.name = first("name");
    n.show_name = first("name_zeigen") == "ja";
    n.source = "formular";
    const std::string lat = first("breite"), lon = first("laenge");
    if (!lat.empty() || !lon.empty()) {
      n.lat = ParseDecimal(lat);
      n.lon = ParseDecimal(lon);
      if (!n.lat || !n.lon) state.errors["breite"] = GermanProblem(InvalidArgument("", "lat"));
    } else if (!n.address.empty()) {
      // A known address gives the position ("Rathausplatz 1, 44787 Bochum"); an unknown one
      // is filed as typed, and staff place it.
      auto found = locator.Locate(n.address);
      if (!found.ok()) return http::ErrorResponse(found.status());
      if (*found) {
        n.lat = (*found)->lat;
        n.lon = (*found)->lon;
      }
    }
    for (const Attribute& a : category->attributes) {
      const auto it = state.values.find("merkmal-" + a.code);
      if (it != state.values.end()) n.attributes[a.code] = it->second;
    }
    // Every problem at once: the position first, then the report's own checks.
    Routed routed{category->office, ""};
    if (n.lat && n.lon) {
      auto where = Route(*category, *n.lon, *n.lat, area);
      if (where.ok()) routed = *where;
      else state.errors["breite"] = GermanProblem(where.status());
    }
    auto checked = CheckNewReport(std::move(n), *category);
    if (!checked.ok()) state.errors.emplace(FormField(checked.status().field()), GermanProblem(checked.status()));
    // Already reported? Open reports of the category close by are shown first; the citizen
    // supports one of them or confirms that theirs is another.
    if (state.errors.empty() && checked->lat && first("nahe") != "gesehen") {
      auto nearby = store.Nearby(category->code, *checked->lat, *checked->lon, limits.duplicate_radius_m, 5);
      if (!nearby.ok()) return http::ErrorResponse(nearby.status());
      if (!nearby->empty()) {
        state.nearby = std::move(nearby).value();
        state.photos_dropped = !form->files.empty();
        return ReportFormPage(*services, category, state, limits.retention_days, portal);
      }
    }
    // The photos last: re-encoding costs the most, and a form shown again does not keep them.
    if (state.errors.empty()) {
      auto photos = PhotosOf(*form, "foto");
      if (photos.ok()) checked->photos = std::move(photos).value();
      else state.errors["foto"] = photos.status().message();
    }
    state.photos_dropped = !form->files.empty() && !state.errors.count("foto");
    if (state.errors.empty()) {
      auto stored = store.Create(*checked, routed, clock.NowMs());
      if (!stored.ok()) return http::ErrorResponse(stored.status());
      return ReportCreatedPage(*stored, *services, portal);
    }
    return ReportFormPage(*services, category, state, limits.retention_days, portal);
  });
  router.Add("GET", "/buergerecho/meldungen/{id}", [services, &store, &portal](const http::Request& r) {
    const auto id = PositiveNumber(r.Param("id"));
    auto found = id ? store.Get(*id) : Result<std::optional<Report>>(std::nullopt);
    if (!found.ok()) return http::ErrorResponse(found.status());
    if (!*found) return web::NotFoundPage(portal);
    auto history = store.History((*found)->id);
    if (!history.ok()) return http::ErrorResponse(history.status());
    return ReportPage(**found, *history, *services, false, false,
                      r.Query("hinweis") == "unterstuetzt" ? "Danke! Ihre Unterstützung ist gezählt." : "", portal);
  });
  // "Me too": a citizen supports an open report instead of filing it again (limited like filing).
  router.Add("POST", "/buergerecho/meldungen/{id}/unterstuetzen", [&store, &clock, &portal, limiter](const http::Request& r) {
    const auto id = PositiveNumber(r.Param("id"));
    if (!id) return web::NotFoundPage(portal);
    int64_t wait_ms = 0;
    if (!limiter->Allow(r.remote_address, clock.NowMs(), &wait_ms)) return BusyPage(wait_ms, portal);
    auto supported = store.Support(*id, clock.NowMs());
    if (supported.ok()) return SeeOther("/buergerecho/meldungen/" + std::to_string(*id) + "?hinweis=unterstuetzt");
    if (supported.status().code() == ErrorCode::kNotFound) return web::NotFoundPage(portal);
    if (supported.status().code() == ErrorCode::kConflict) {
      return web::RenderPage(portal, {"Meldung abgeschlossen", {{"Start", "/"}, {"BürgerEcho", "/buergerecho"}},
                                      "<p>Diese Meldung ist bereits abgeschlossen. Wenn der Mangel noch besteht, melden "
                                      "Sie ihn bitte <a href=\"/buergerecho/melden\">neu</a>.</p>"},
                             409);
    }
    return http::ErrorResponse(supported.status());
  });
  // The photos as re-encoded, while staff have not hidden them. Cached five minutes: a photo staff hide leaves caches soon.
  router.Add("GET", "/buergerecho/fotos/{id}/{file}", [&store, &portal](const http::Request& r) {
    const auto id = PositiveNumber(r.Param("id"));
    const std::string& file = r.Param("file");
    const bool thumbnail = file.ends_with("-klein.jpg");
    const std::string number = file.substr(0, file.size() - (thumbnail ? 10 : 4));
    const auto n = file.ends_with(".jpg") ? PositiveNumber(number) : std::nullopt;
    if (!id || !n || *n > static_cast<int64_t>(kMaxPhotos)) return web::NotFoundPage(portal);
    auto bytes = store.PhotoBytes(*id, static_cast<int>(*n), thumbnail);
    if (!bytes.ok()) return http::ErrorResponse(bytes.status());
    if (!*bytes) return web::NotFoundPage(portal);
    http::Response photo;
    photo.content_type = "image/jpeg";
    photo.body = std::move(**bytes);
    return photo.With("Cache-Control", "public, max-age=300");
  });
  auto private_page = [services, &store, &clock, &portal](const std::string& token, const std::string& notice) {
    auto found = token.size() <= 100 ? store.ByToken(token) : Result<std::optional<Report>>(std::nullopt);
    if (!found.ok()) return http::ErrorResponse(found.status());
    if (!*found) return web::NotFoundPage(portal);
    auto history = store.History((*found)->id);
    if (!history.ok()) return http::ErrorResponse(history.status());
    const bool may_answer =
        (*found)->status == ReportStatus::kDone && clock.NowMs() - (*found)->updated_ms <= kAnswerWindowMs;
    return ReportPage(**found, *history, *services, true, may_answer, notice, portal);
  };
  router.Add("GET", "/buergerecho/privat/{token}", [private_page](const http::Request& r) {
    const std::string& said = r.Query("hinweis");
    return private_page(r.Param("token"), said == "bestaetigt"  ? "Danke! Die Meldung ist als erledigt bestätigt."
                                          : said == "geoeffnet" ? "Die Meldung ist wieder geöffnet."
                                                                 : "");
  });
  router.Add("POST", "/buergerecho/privat/{token}/{answer}", [&store, &clock, private_page](const http::Request& r) {
    const std::string& token = r.Param("token");
    const std::string& answer = r.Param("answer");
    Result<Report> done = NotFound("", "");
    if (answer == "bestaetigen") {
      done = store.ConfirmDone(token, clock.NowMs(), kAnswerWindowMs);
    } else if (answer == "wiederoeffnen") {
      auto fields = ParseFormFields(r.body);
      std::string reason;
      if (fields.ok()) {
        for (const auto& [name, value] : *fields) {
          if (name == "grund") reason = value;
        }
      }
      done = store.Reopen(token, reason, clock.NowMs(), kAnswerWindowMs);
    }
    if (done.ok()) {
      return SeeOther("/buergerecho/privat/" + http::PercentEncode(token) +
                      (answer == "bestaetigen" ? "?hinweis=bestaetigt" : "?hinweis=geoeffnet"));
    }
    if (done.status().code() == ErrorCode::kConflict) {
      http::Response page = private_page(token, "Das geht nicht mehr: Die Meldung ist nicht (mehr) als erledigt markiert "
                                                "oder die 14 Tage sind vorbei.");
      page.status = 409;
      return page;
    }
    if (done.status().field() == "note") {
      http::Response page = private_page(token, "Der Text ist zu lang (höchstens 2.000 Zeichen) oder enthält Steuerzeichen.");
      page.status = 422;
      return page;
    }
    if (done.status().code() == ErrorCode::kNotFound) return private_page("", "");
    return http::ErrorResponse(done.status());
  });
}

http::Response FilingTooLargePage(size_t limit, const web::PortalOptions& portal) {
  return web::RenderPage(portal,
                         {"Zu große Datei", {{"Start", "/"}, {"BürgerEcho", "/buergerecho"}},
                          "<p>Die Meldung ist mit ihren Fotos größer als " + std::to_string(limit >> 20) +
                              " MB und kam nicht an. Bitte hängen Sie kleinere Fotos an (je höchstens 10 MB).</p>"
                              "<p><a href=\"/buergerecho/melden\">Zurück zum Formular</a></p>"},
                         413);
}

}  // namespace datenwerk::echo
