#include <algorithm>
#include <cmath>

#include "api/json_body.h"
#include "api/json_codec.h"
#include "api/listing.h"
#include "api/request_helpers.h"
#include "api/series.h"
#include "core/dates.h"
#include "core/json_text.h"

namespace datenwerk::api {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr int64_t kMaxBuckets = 100'000;           // per Datastream
constexpr size_t kMaxAggregatedDatastreams = 1'000;  // in one request
constexpr int64_t kMaxBucketsOfMany = 1'000'000;    // in one request, all Datastreams together

json::value Number(double v) {
  if (std::trunc(v) == v && std::abs(v) < 9007199254740992.0) return static_cast<int64_t>(v);
  return v;
}

Result<int64_t> DatastreamId(const Request& r, sta::SensorThingsService& sensorthings) {
  const std::string& text = r.Param("id");
  auto parsed = PositiveId(text);
  if (!parsed) return InvalidArgument("must be a Datastream id (a positive integer)", "id");
  const int64_t id = *parsed;
  auto exists = sensorthings.Exists(sta::EntityType::kDatastream, id);
  if (!exists.ok()) return exists.status();
  if (!*exists) return NotFound("Datastream " + text + " does not exist", "id");
  return id;
}

Result<int64_t> TimeParam(const Request& r, const std::string& name) {
  const std::string& text = r.Query(name);
  if (text.empty()) return InvalidArgument("is required (an ISO 8601 time)", name);
  auto ms = ParseRfc3339Ms(text);
  if (!ms) return InvalidArgument("must be an ISO 8601 time with zone, e.g. 2024-05-01T00:00:00Z", name);
  return *ms;
}

json::object LatestJson(int64_t ds, const std::optional<series::Point>& p) {
  json::object o{{"datastream", ds}};
  o["phenomenonTime"] = p ? json::value(FormatRfc3339Ms(p->time_ms)) : json::value(nullptr);
  o["result"] = p ? Number(p->value) : json::value(nullptr);
  return o;
}

// What an aggregate request asks for: the aggregates per bucket, the bucket width, the range.
struct AggregateQuery {
  std::vector<series::Aggregation> wanted;
  series::BucketSpec spec;
  int64_t from = 0, to = 0;
  int64_t buckets = 0;  // about this many per Datastream
};

Result<AggregateQuery> ParseAggregateQuery(const Request& r) {
  AggregateQuery q;
  // Which aggregates each bucket carries: all by default, or a comma list of avg,min,max,sum,count.
  const std::string& fn = r.Query("fn");
  for (size_t at = 0; at < fn.size();) {
    const size_t comma = std::min(fn.find(',', at), fn.size());
    auto a = series::ParseAggregation(std::string_view(fn).substr(at, comma - at));
    if (!a.ok()) return InvalidArgument("must list avg, min, max, sum or count", "fn");
    q.wanted.push_back(*a);
    at = comma + 1;
  }
  if (q.wanted.empty()) {
    q.wanted = {series::Aggregation::kAvg, series::Aggregation::kMin, series::Aggregation::kMax,
                series::Aggregation::kSum, series::Aggregation::kCount};
  }
  auto spec = series::ParseBucket(r.Query("interval"));
  if (!spec.ok()) return Status(spec.status().code(), spec.status().message(), "interval");
  q.spec = *spec;
  auto from = TimeParam(r, "from");
  if (!from.ok()) return from.status();
  auto to = TimeParam(r, "to");
  if (!to.ok()) return to.status();
  if (*to <= *from) return InvalidArgument("must be later than 'from'", "to");
  q.from = *from;
  q.to = *to;
  const int64_t width = spec->IsMonths() ? 28 * series::kDayMs : spec->WidthMs();
  q.buckets = (*to - *from) / width;
  if (q.buckets > kMaxBuckets) {
    return InvalidArgument("more than " + std::to_string(kMaxBuckets) + " buckets; choose a wider interval",
                           "interval");
  }
  return q;
}

// The buckets as JSON text, written straight out: a year of hours is 8,760 of them, and a
// boost::json object per bucket took as long as computing them.
void AppendBuckets(const std::vector<series::Bucket>& buckets, const AggregateQuery& q, std::string& out) {
  static constexpr const char* kNames[] = {"avg", "min", "max", "sum", "count"};
  out.reserve(out.size() + buckets.size() * (40 + 16 * q.wanted.size()));
  out += '[';
  for (size_t i = 0; i < buckets.size(); ++i) {
    if (i) out += ',';
    out += R"({"start":")";
    out += FormatRfc3339Ms(buckets[i].start_ms);
    out += '"';
    for (series::Aggregation a : q.wanted) {
      out += ",\"";
      out += kNames[static_cast<int>(a)];
      out += "\":";
      AppendJsonNumber(buckets[i].values.Get(a), out);
    }
    out += '}';
  }
  out += ']';
}

// The opening of a JSON object with these members: "{" and "key":value pairs, not closed.
std::string JsonHead(std::initializer_list<std::pair<const char*, json::value>> members) {
  std::string out = "{";
  for (const auto& [key, value] : members) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += key;
    out += "\":";
    AppendJsonText(value, out);
  }
  return out;
}

// As JsonResponse, for a body already written as JSON text.
http::Response TextJsonResponse(std::string body) {
  http::Response r;
  r.content_type = "application/json; charset=utf-8";
  r.body = std::move(body);
  return r;
}

const char* Source(const series::BucketSpec& spec) {
  return spec.IsMonths() || spec.WidthMs() % series::kHourMs == 0 ? "rollups" : "raw";
}

Response Aggregate(const Request& r, series::ObservationStore& series,
                   sta::SensorThingsService& sensorthings) {
  if (auto s = CheckQueryParams(r, {"interval", "from", "to", "fn"}); !s.ok()) return http::ErrorResponse(s);
  auto q = ParseAggregateQuery(r);
  if (!q.ok()) return http::ErrorResponse(q.status());
  auto ds = DatastreamId(r, sensorthings);
  if (!ds.ok()) return http::ErrorResponse(ds.status());
  auto buckets = series.Aggregate(*ds, q->from, q->to, q->spec);
  if (!buckets.ok()) return http::ErrorResponse(buckets.status());
  std::string body = JsonHead({{"datastream", *ds},
                               {"interval", json::string(r.Query("interval"))},
                               {"from", json::string(FormatRfc3339Ms(q->from))},
                               {"to", json::string(FormatRfc3339Ms(q->to))},
                               {"source", Source(q->spec)}});
  body += R"(,"buckets":)";
  AppendBuckets(*buckets, *q, body);
  body += '}';
  return TextJsonResponse(std::move(body));
}

// Comma-separated Datastream ids, each existing, at most `limit` of them, none twice.
Result<std::vector<int64_t>> DatastreamIds(const Request& r, sta::SensorThingsService& sensorthings, size_t limit) {
  const std::string& list = r.Query("ids");
  if (list.empty()) return InvalidArgument("is required: Datastream ids separated by commas", "ids");
  std::vector<int64_t> ids;
  for (size_t at = 0; at <= list.size();) {
    const size_t comma = std::min(list.find(',', at), list.size());
    auto id = PositiveId(std::string_view(list).substr(at, comma - at));
    if (!id) return InvalidArgument("must be Datastream ids separated by commas", "ids");
    if (ids.size() == limit) return InvalidArgument("names more than " + std::to_string(limit) + " Datastreams", "ids");
    if (std::find(ids.begin(), ids.end(), *id) != ids.end()) {
      return InvalidArgument("names Datastream " + std::to_string(*id) + " twice", "ids");
    }
    ids.push_back(*id);
    at = comma + 1;
  }
  for (int64_t id : ids) {
    auto exists = sensorthings.Exists(sta::EntityType::kDatastream, id);
    if (!exists.ok()) return exists.status();
    if (!*exists) return NotFound("Datastream " + std::to_string(id) + " does not exist", "ids");
  }
  return ids;
}

// The same buckets for several Datastreams in one request (a chart of many sensors, an export).
Response AggregateOfMany(const Request& r, series::ObservationStore& series,
                         sta::SensorThingsService& sensorthings) {
  if (auto s = CheckQueryParams(r, {"ids", "interval", "from", "to", "fn"}); !s.ok()) return http::ErrorResponse(s);
  auto q = ParseAggregateQuery(r);
  if (!q.ok()) return http::ErrorResponse(q.status());
  auto ids = DatastreamIds(r, sensorthings, kMaxAggregatedDatastreams);
  if (!ids.ok()) return http::ErrorResponse(ids.status());
  if (q->buckets * static_cast<int64_t>(ids->size()) > kMaxBucketsOfMany) {
    return http::ErrorResponse(InvalidArgument("more than " + std::to_string(kMaxBucketsOfMany) +
                                                   " buckets in all; choose a wider interval or fewer Datastreams",
                                               "interval"));
  }
  std::string body = JsonHead({{"interval", json::string(r.Query("interval"))},
                               {"from", json::string(FormatRfc3339Ms(q->from))},
                               {"to", json::string(FormatRfc3339Ms(q->to))}});
  body += R"(,"items":[)";
  for (size_t i = 0; i < ids->size(); ++i) {
    auto buckets = series.Aggregate((*ids)[i], q->from, q->to, q->spec);
    if (!buckets.ok()) return http::ErrorResponse(buckets.status());
    body += i ? R"(,{"datastream":)" : R"({"datastream":)";
    body += std::to_string((*ids)[i]);
    body += R"(,"buckets":)";
    AppendBuckets(*buckets, *q, body);
    body += '}';
  }
  body += "]}";
  return TextJsonResponse(std::move(body));
}

Response LatestOfMany(const Request& r, series::ObservationStore& series) {
  if (auto s = CheckQueryParams(r, {"ids"}); !s.ok()) return http::ErrorResponse(s);
  std::vector<int64_t> ids;
  const std::string& list = r.Query("ids");
  if (list.empty()) {
    ids = series.Datastreams();
  } else {
    for (size_t at = 0; at <= list.size();) {
      const size_t comma = std::min(list.find(',', at), list.size());
      auto id = PositiveId(std::string_view(list).substr(at, comma - at));
      if (!id) return http::ErrorResponse(InvalidArgument("must be Datastream ids separated by commas", "ids"));
      ids.push_back(*id);
      at = comma + 1;
    }
  }
  json::array items;
  for (int64_t id : ids) items.push_back(LatestJson(id, series.Latest(id)));
  return JsonResponse(json::object{{"items", std::move(items)}});
}

}  // namespace

void RegisterSeriesRoutes(http::Router& router, series::ObservationStore& series,
                          sta::SensorThingsService& sensorthings, CatalogueService& keys,
                          WriteGate& gate) {
  router.Add("GET", "/api/v1/datastreams/{id}/aggregate", [&](const Request& r) {
    return Aggregate(r, series, sensorthings);
  });
  router.Add("GET", "/api/v1/datastreams/aggregate", [&](const Request& r) {
    return AggregateOfMany(r, series, sensorthings);
  });
  router.Add("GET", "/api/v1/datastreams/latest", [&](const Request& r) {
    return LatestOfMany(r, series);
  });
  router.Add("GET", "/api/v1/datastreams/{id}/latest", [&](const Request& r) {
    if (auto s = CheckQueryParams(r, {}); !s.ok()) return http::ErrorResponse(s);
    auto ds = DatastreamId(r, sensorthings);
    if (!ds.ok()) return http::ErrorResponse(ds.status());
    return JsonResponse(LatestJson(*ds, series.Latest(*ds)));
  });
  router.Add("GET", "/api/v1/datastreams/{id}/retention", [&](const Request& r) {
    auto ds = DatastreamId(r, sensorthings);
    if (!ds.ok()) return http::ErrorResponse(ds.status());
    auto days = series.Retention(*ds);
    if (!days.ok()) return http::ErrorResponse(days.status());
    return JsonResponse(json::object{{"datastream", *ds}, {"rawDays", *days}});
  });
  router.Add("PUT", "/api/v1/datastreams/{id}/retention", WithKey(keys, Role::kAdministrator, [&](const Request& r) {
    auto ds = DatastreamId(r, sensorthings);
    if (!ds.ok()) return http::ErrorResponse(ds.status());
    auto body = ParseObject(r.body, {"rawDays"});
    if (!body.ok()) return http::ErrorResponse(body.status());
    std::optional<double> days;
    if (auto s = ReadNumber(*body, "rawDays", "", days, true); !s.ok()) return http::ErrorResponse(s);
    if (!days || *days < 0 || *days > 36500 || std::trunc(*days) != *days) {
      return http::ErrorResponse(InvalidArgument("must be a whole number of days, 0 (for ever) to 36500", "rawDays"));
    }
    if (auto s = series.SetRetention(*ds, static_cast<int>(*days)); !s.ok()) return http::ErrorResponse(s);
    return JsonResponse(json::object{{"datastream", *ds}, {"rawDays", static_cast<int64_t>(*days)}});
  }));
  router.Add("DELETE", "/api/v1/datastreams/{id}/observations", WithKey(keys, Role::kEditor, [&](const Request& r) {
    if (auto s = CheckQueryParams(r, {"from", "to"}); !s.ok()) return http::ErrorResponse(s);
    auto ticket = gate.Enter(r.body.size());
    if (!ticket) return WriteGate::Busy();
    auto ds = DatastreamId(r, sensorthings);
    if (!ds.ok()) return http::ErrorResponse(ds.status());
    auto from = TimeParam(r, "from");
    if (!from.ok()) return http::ErrorResponse(from.status());
    auto to = TimeParam(r, "to");
    if (!to.ok()) return http::ErrorResponse(to.status());
    auto removed = sensorthings.DeleteObservations(*ds, *from, *to);
    if (!removed.ok()) return http::ErrorResponse(removed.status());
    return JsonResponse(json::object{{"datastream", *ds}, {"deleted", *removed}});
  }));
}

}  // namespace datenwerk::api
