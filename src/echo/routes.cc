#include "echo/routes.h"

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "core/dates.h"
#include "core/json_text.h"
#include "echo/notify.h"
#include "echo/open311.h"
#include "echo/rate_limit.h"
#include "echo/uploads.h"

namespace datenwerk::echo {

namespace {

constexpr int64_t kDefaultSpanMs = 90 * kDayMs;  // the spec's default window
constexpr int64_t kMaxPageSize = 1000;           // the spec's default volume

http::Response Answer(const Rendered& r) {
  http::Response out;
  out.status = r.status;
  out.content_type = r.content_type;
  out.body = r.body;
  out.With("Access-Control-Allow-Origin", "*");
  return out;
}

// The format from the path's last segment; nullopt (answered as a JSON 404) without one.
std::optional<std::pair<std::string, Format>> Split(const http::Request& r, const char* param) {
  return SplitFormat(r.Param(param));
}

// How clients reach this server: the configured URL, else the request's Host.
std::string BaseUrl(const http::Request& r, const Open311Options& o) {
  if (!o.public_url.empty()) return o.public_url;
  const std::string& host = r.Header("host");
  return "http://" + (host.empty() ? std::string("localhost") : host);
}

Status CheckJurisdiction(const http::Request& r, const Open311Options& o,
                         const std::vector<std::pair<std::string, std::string>>* form = nullptr) {
  std::string given = r.Query("jurisdiction_id");
  if (form) {
    for (const auto& [name, value] : *form) {
      if (name == "jurisdiction_id") given = value;
    }
  }
  if (!given.empty() && given != o.jurisdiction_id) {
    return NotFound("jurisdiction_id " + given.substr(0, 100) + " is not served here; it is " + o.jurisdiction_id,
                    "jurisdiction_id");
  }
  return Status::Ok();
}

Result<std::optional<int64_t>> TimeParam(const http::Request& r, const char* name) {
  const std::string& text = r.Query(name);
  if (text.empty()) return std::optional<int64_t>();
  auto ms = ParseRfc3339Ms(text);
  if (!ms) return InvalidArgument("must be a W3C date-time with zone, e.g. 2026-01-01T00:00:00Z", name);
  return std::optional<int64_t>(*ms);
}

Result<int64_t> PositiveParam(const http::Request& r, const char* name, int64_t fallback, int64_t max) {
  const std::string& text = r.Query(name);
  if (text.empty()) return fallback;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v < 1 || v > max) {
    return InvalidArgument("must be a whole number from 1 to " + std::to_string(max), name);
  }
  return v;
}

std::vector<std::string> CommaList(const std::string& text) {
  std::vector<std::string> out;
  size_t at = 0;
  while (at <= text.size() && !text.empty()) {
    const size_t end = std::min(text.find(',', at), text.size());
    if (end > at) out.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

// GET requests' arguments (the spec's, and the extensions FixMyStreet and others use).
Result<ReportQuery> ParseRequestsQuery(const http::Request& r, int64_t now_ms) {
  static const char* kKnown[] = {"jurisdiction_id", "api_key", "service_request_id", "service_code", "start_date", "end_date",
                                 "status", "page", "page_size", "updated_after", "updated_before", "extensions"};
  for (const auto& entry : r.query) {
    const std::string& name = entry.first;  // a plain name: clang 14 refuses lambdas capturing bindings
    if (std::none_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return name == k; })) {
      return InvalidArgument("is not an argument of GET requests", name.substr(0, 60));
    }
  }
  ReportQuery q;
  if (const std::string& ids = r.Query("service_request_id"); !ids.empty()) {
    for (const std::string& id : CommaList(ids)) {
      int64_t v = 0;
      auto [p, ec] = std::from_chars(id.data(), id.data() + id.size(), v);
      if (ec != std::errc() || p != id.data() + id.size() || v < 1) {
        return InvalidArgument("must be service request ids separated by commas", "service_request_id");
      }
      if (q.ids.size() == static_cast<size_t>(kMaxPageSize)) return InvalidArgument("names more than 1000", "service_request_id");
      q.ids.push_back(v);
    }
    q.limit = kMaxPageSize;
    return q;  // "This overrides all other arguments."
  }
  q.service_codes = CommaList(r.Query("service_code"));
  if (q.service_codes.size() > 500) return InvalidArgument("names more than 500 services", "service_code");
  if (const std::string& status = r.Query("status"); !status.empty()) {
    bool open = false, closed = false;
    for (const std::string& s : CommaList(status)) {
      if (s == "open") open = true;
      else if (s == "closed") closed = true;
      else return InvalidArgument("must be open, closed or both", "status");
    }
    if (open != closed) q.open = open;
  }
  auto start = TimeParam(r, "start_date");
  if (!start.ok()) return start.status();
  auto end = TimeParam(r, "end_date");
  if (!end.ok()) return end.status();
  auto after = TimeParam(r, "updated_after");
  if (!after.ok()) return after.status();
  auto before = TimeParam(r, "updated_before");
  if (!before.ok()) return before.status();
  // Without a range, the most recent 90 days, as the spec says; a range is not capped (a city's
  // analysts ask for a year at once), the page size is.
  if (!*start && !*end && !*after && !*before) {
    q.requested_from_ms = now_ms - kDefaultSpanMs;
  } else {
    q.requested_from_ms = *start;
    q.requested_to_ms = *end;
    if (*start && *end && **end < **start) return InvalidArgument("must not be before start_date", "end_date");
  }
  q.updated_from_ms = *after;
  q.updated_to_ms = *before;
  auto size = PositiveParam(r, "page_size", kMaxPageSize, kMaxPageSize);
  if (!size.ok()) return size.status();
  auto page = PositiveParam(r, "page", 1, 1'000'000);
  if (!page.ok()) return page.status();
  q.limit = *size;
  q.offset = (*page - 1) * *size;
  return q;
}

}  // namespace

void RegisterOpen311Routes(http::Router& router, std::shared_ptr<const Services> services, const CityArea& area,
                           ReportStore& store, CatalogueService& keys, const Clock& clock,
                           const Open311Options& o, AddressLocator* locator) {
  // The service list changes only with a restart (the files are read at start).
  const std::string changeset = W3cDateTime(clock.NowMs());
  // /open311/v2/discovery.xml, services.xml, requests.xml
  router.Add("GET", "/open311/v2/{file}", [services, &store, &clock, &o, changeset](const http::Request& r) {
    const auto file = Split(r, "file");
    if (!file) return http::ErrorResponse(NotFound("no resource " + r.Param("file") + " (add .json or .xml)", "path"));
    const auto [name, format] = *file;
    if (Status s = CheckJurisdiction(r, o); !s.ok()) return Answer(ErrorAnswer(format, s));
    if (name == "discovery") return Answer(DiscoveryAnswer(format, {changeset, o.contact, BaseUrl(r, o) + "/open311/v2"}));
    if (name == "services") return Answer(ServiceList(format, *services));
    if (name == "requests") {
      auto query = ParseRequestsQuery(r, clock.NowMs());
      if (!query.ok()) return Answer(ErrorAnswer(format, query.status()));
      auto found = store.List(*query);
      if (!found.ok()) return Answer(ErrorAnswer(format, found.status()));
      return Answer(RequestList(format, *found, *services, {r.Query("extensions") == "true", BaseUrl(r, o)}));
    }
    if (name == "servicerequestupdates") {
      for (const auto& [param, value] : r.query) {
        if (param != "jurisdiction_id" && param != "api_key" && param != "start_date" && param != "end_date") {
          return Answer(ErrorAnswer(format, 400, param.substr(0, 60) + ": is not an argument of servicerequestupdates"));
        }
      }
      auto start = TimeParam(r, "start_date");
      if (!start.ok()) return Answer(ErrorAnswer(format, start.status()));
      auto end = TimeParam(r, "end_date");
      if (!end.ok()) return Answer(ErrorAnswer(format, end.status()));
      const int64_t now = clock.NowMs();
      auto updates = store.Updates(start->value_or(now - kDefaultSpanMs), end->value_or(now), kMaxPageSize);
      if (!updates.ok()) return Answer(ErrorAnswer(format, updates.status()));
      return Answer(UpdateList(format, *updates));
    }
    return Answer(ErrorAnswer(format, 404, "no resource " + name.substr(0, 60) + " in GeoReport v2"));
  });
  router.Add("GET", "/open311/v2/services/{file}", [services, &o](const http::Request& r) {
    const auto file = Split(r, "file");
    if (!file) return http::ErrorResponse(NotFound("add .json or .xml to the service_code", "path"));
    if (Status s = CheckJurisdiction(r, o); !s.ok()) return Answer(ErrorAnswer(file->second, s));
    const Category* c = services->FindCategory(file->first);
    if (!c) return Answer(ErrorAnswer(file->second, 404, "service_code " + file->first.substr(0, 60) + " is not known"));
    return Answer(ServiceDefinition(file->second, *c));
  });
  router.Add("GET", "/open311/v2/requests/{file}", [services, &store, &o](const http::Request& r) {
    const auto file = Split(r, "file");
    if (!file) return http::ErrorResponse(NotFound("add .json or .xml to the service_request_id", "path"));
    const Format format = file->second;
    if (Status s = CheckJurisdiction(r, o); !s.ok()) return Answer(ErrorAnswer(format, s));
    int64_t id = 0;
    const std::string& text = file->first;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || p != text.data() + text.size() || id < 1) {
      return Answer(ErrorAnswer(format, 404, "service_request_id " + text.substr(0, 60) + " is not known"));
    }
    auto found = store.Get(id);
    if (!found.ok()) return Answer(ErrorAnswer(format, found.status()));
    if (!*found) return Answer(ErrorAnswer(format, 404, "service_request_id " + text + " is not known"));
    return Answer(RequestList(format, {**found}, *services, {r.Query("extensions") == "true", BaseUrl(r, o)}));
  });
  router.Add("GET", "/open311/v2/tokens/{file}", [&store, &o](const http::Request& r) {
    const auto file = Split(r, "file");
    if (!file) return http::ErrorResponse(NotFound("add .json or .xml to the token", "path"));
    if (Status s = CheckJurisdiction(r, o); !s.ok()) return Answer(ErrorAnswer(file->second, s));
    auto found = file->first.size() <= 100 ? store.ByToken(file->first) : Result<std::optional<Report>>(std::nullopt);
    if (!found.ok()) return Answer(ErrorAnswer(file->second, found.status()));
    if (!*found) return Answer(ErrorAnswer(file->second, 404, "token is not known"));
    return Answer(TokenAnswer(file->second, **found));
  });
  auto limiter = o.shared_limits
                     ? std::make_shared<RateLimiter>(o.key_burst, o.key_refill_ms, *o.shared_limits, "open311.schluessel")
                     : std::make_shared<RateLimiter>(o.key_burst, o.key_refill_ms);
  router.Add("POST", "/open311/v2/{file}", [services, &area, &store, &keys, &clock, &o, limiter,
                                            locator](const http::Request& r) {
    const auto file = Split(r, "file");
    if (!file || (file->first != "requests" && file->first != "servicerequestupdates")) {
      return http::ErrorResponse(
          NotFound("POST goes to requests.json, requests.xml, servicerequestupdates.json or .xml", "path"));
    }
    const Format format = file->second;
    auto form = ParseFiling(r.Header("content-type"), r.body);
    if (!form.ok()) return Answer(ErrorAnswer(format, form.status()));
    const auto* fields = &form->fields;
    std::string api_key;
    for (const auto& [name, value] : *fields) {
      if (name == "api_key") api_key = value;
    }
    if (api_key.empty()) return Answer(ErrorAnswer(format, 403, "api_key: is required to create a request"));
    auto key = keys.Authenticate(api_key);
    if (!key.ok()) return Answer(ErrorAnswer(format, 403, "api_key: is not valid"));
    int64_t wait_ms = 0;
    if (!limiter->Allow(api_key, clock.NowMs(), &wait_ms)) {
      return Answer(ErrorAnswer(format, 429, "api_key: too many requests at once; try again later"))
          .With("Retry-After", std::to_string((wait_ms + 999) / 1000));
    }
    if (Status s = CheckJurisdiction(r, o, fields); !s.ok()) return Answer(ErrorAnswer(format, s));
    if (file->first == "servicerequestupdates") {
      // mySociety's extension: a citizen's comment from FixMyStreet, "OPEN" when not fixed.
      if (!form->files.empty()) return Answer(ErrorAnswer(format, 400, "media: updates take no files"));
      auto posted = UpdateFromForm(*fields);
      if (!posted.ok()) return Answer(ErrorAnswer(format, posted.status()));
      posted->update.source = "schluessel:" + std::to_string(key->id);
      auto added = store.AddCitizenUpdate(posted->service_request_id, posted->update, clock.NowMs(), kAnswerWindowMs);
      if (!added.ok()) return Answer(ErrorAnswer(format, added.status()));
      return Answer(UpdateCreatedAnswer(format, *added));
    }
    auto report = NewReportFromForm(*fields);
    if (!report.ok()) return Answer(ErrorAnswer(format, report.status()));
    const Category* category = services->FindCategory(report->service_code);
    if (!category) {
      return Answer(ErrorAnswer(format, 404, "service_code: " + report->service_code.substr(0, 60) + " is not known"));
    }
    auto checked = CheckNewReport(std::move(report).value(), *category);
    if (!checked.ok()) return Answer(ErrorAnswer(format, checked.status()));
    if (!checked->lat && locator) {
      auto found = locator->Locate(checked->address);
      if (!found.ok()) return Answer(ErrorAnswer(format, found.status()));
      if (*found) {
        checked->lat = (*found)->lat;
        checked->lon = (*found)->lon;
      }
    }
    auto photos = PhotosOf(*form, "media");
    if (!photos.ok()) return Answer(ErrorAnswer(format, photos.status()));
    checked->photos = std::move(photos).value();
    Routed routed{category->office, ""};
    if (checked->lat) {
      auto where = Route(*category, *checked->lon, *checked->lat, area);
      if (!where.ok()) return Answer(ErrorAnswer(format, where.status()));
      routed = *where;
    }
    auto stored = store.Create(*checked, routed, clock.NowMs());
    if (!stored.ok()) return Answer(ErrorAnswer(format, stored.status()));
    const Office* office = services->FindOffice(stored->office);
    // The report's private key goes to the submitting app only, in a header: Open311's body
    // carries the id (realtime), and tokens/{token} leads from the key to it.
    return Answer(CreatedAnswer(format, *stored,
                                "Ihre Meldung ist eingegangen und geht an: " + (office ? office->name : stored->office) + "."))
        .With("Datenwerk-Token", stored->token);
  });
}

void RegisterStaffApi(http::Router& router, ReportStore& store, std::shared_ptr<const Services> services,
                      CatalogueService& keys, const Clock& clock, std::string base_url) {
  router.Add("POST", "/api/v1/buergerecho/reports/{id}/status", [&store, services, &keys, &clock,
                                                                   base_url](const http::Request& r) {
    const std::string authorization = r.Header("authorization");
    const std::string presented = authorization.rfind("Bearer ", 0) == 0 ? authorization.substr(7) : r.Header("x-api-key");
    auto key = keys.Authenticate(presented);
    if (!key.ok()) return http::ErrorResponse(key.status());
    if (!RoleAllows(key->role, Role::kEditor)) {
      return http::ErrorResponse({ErrorCode::kPermissionDenied, "this needs a key with the role editor or higher", "Authorization"});
    }
    if (r.Header("content-type").find("application/json") == std::string::npos) {
      return http::ErrorResponse({ErrorCode::kUnsupportedMediaType, "the body must be application/json", "Content-Type"});
    }
    int64_t id = 0;
    const std::string& text = r.Param("id");
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || p != text.data() + text.size() || id < 1) {
      return http::ErrorResponse(InvalidArgument("must be a report number", "id"));
    }
    boost::system::error_code jec;
    const boost::json::value body = boost::json::parse(r.body, jec);
    if (jec || !body.is_object()) return http::ErrorResponse(InvalidArgument("must be a JSON object", "body"));
    for (const auto& [name, value] : body.as_object()) {
      if (name != "status" && name != "note") return http::ErrorResponse(InvalidArgument("is not a member", std::string(name).substr(0, 60)));
    }
    const boost::json::value* status = body.as_object().if_contains("status");
    const auto to = status && status->is_string() ? StatusFromCode(status->as_string()) : std::nullopt;
    if (!to) {
      return http::ErrorResponse(InvalidArgument(
          "must be received, in_progress, scheduled, referred, duplicate, not_responsible, done or not_fixable", "status"));
    }
    const boost::json::value* note = body.as_object().if_contains("note");
    if (note && !note->is_string()) return http::ErrorResponse(InvalidArgument("must be text", "note"));
    const std::string who = "schluessel:" + std::to_string(key->id) + " " + key->label;
    const int64_t now = clock.NowMs();
    auto changed = store.ChangeStatus(
        id, *to, note ? std::string(note->as_string()) : "", who, now,
        [&](sql::Tx& tx, const Report& before, const Report& after) {
          auto logged = audit::AuditLog::Append(tx, {0, now, who, r.remote_address, "buergerecho.status", "meldung:" + text,
                                                     ToJsonText(boost::json::object{{"status", StatusCode(before.status)}}),
                                                     ToJsonText(boost::json::object{{"status", StatusCode(after.status)}}),
                                                     ""});
          if (!logged.ok()) return logged.status();
          return QueueStatusMail(tx, before, after, *services, base_url, now);
        });
    if (!changed.ok()) return http::ErrorResponse(changed.status());
    http::Response out;
    out.content_type = "application/json; charset=utf-8";
    out.body = ToJsonText(boost::json::object{{"id", changed->id},
                                              {"status", StatusCode(changed->status)},
                                              {"status_label", StatusLabel(changed->status)},
                                              {"note", changed->status_note},
                                              {"updated", W3cDateTime(changed->updated_ms)}});
    return out;
  });
}

}  // namespace datenwerk::echo
