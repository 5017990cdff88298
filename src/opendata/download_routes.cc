#include "opendata/download_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "core/dates.h"
#include "opendata/downloads.h"
#include "sta/resource_path.h"

namespace datenwerk::opendata {

namespace json = boost::json;

namespace {

struct FileName {
  int64_t thing = 0;
  DownloadFormat format = DownloadFormat::kCsv;
  const char* content_type = "";
};

std::optional<FileName> ParseFileName(std::string_view name) {
  static constexpr std::pair<std::string_view, std::pair<DownloadFormat, const char*>> kTypes[] = {
      {".csv", {DownloadFormat::kCsv, "text/csv; charset=utf-8"}},
      {".json", {DownloadFormat::kJson, "application/json; charset=utf-8"}},
      {".geojson", {DownloadFormat::kGeoJson, "application/geo+json; charset=utf-8"}},
  };
  if (!name.starts_with("station-")) return std::nullopt;
  name.remove_prefix(8);
  for (const auto& [ext, type] : kTypes) {
    if (!name.ends_with(ext)) continue;
    const std::string_view digits = name.substr(0, name.size() - ext.size());
    FileName out{0, type.first, type.second};
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out.thing);
    if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty() || out.thing < 1) return std::nullopt;
    return out;
  }
  return std::nullopt;
}

// "2024-05-01" (midnight UTC) or an RFC 3339 time, in milliseconds.
Result<int64_t> TimeParameter(const std::string& text, const char* name) {
  if (auto ms = ParseRfc3339Ms(text)) return *ms;
  if (auto days = DaysFromIsoDate(text)) return *days * 86'400'000;
  return InvalidArgument("must be a date (2024-05-01) or an RFC 3339 time (2024-05-01T12:00:00Z)", name);
}

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

bool IsDownloadName(std::string_view name) { return ParseFileName(name).has_value(); }

http::Response DownloadResponse(sta::SensorThingsService& sensorthings, series::ObservationStore& store,
                                const http::Request& r) {
  const auto file = ParseFileName(r.Param("file"));
  if (!file) return http::ErrorResponse(NotFound("no download " + r.Param("file"), "path"));
  DownloadRequest request;
  request.format = file->format;
  if (const std::string& numbers = r.Query("numbers"); !numbers.empty()) {
    if (numbers != "de" && numbers != "international") {
      return http::ErrorResponse(InvalidArgument("must be \"de\" or \"international\"", "numbers"));
    }
    if (file->format != DownloadFormat::kCsv) {
      return http::ErrorResponse(InvalidArgument("applies to CSV only", "numbers"));
    }
    if (numbers == "de") request.format = DownloadFormat::kCsvGerman;
  }
  for (const char* name : {"from", "to"}) {
    const std::string& text = r.Query(name);
    if (text.empty()) continue;
    auto ms = TimeParameter(text, name);
    if (!ms.ok()) return http::ErrorResponse(ms.status());
    (std::string_view(name) == "from" ? request.from_ms : request.to_ms) = *ms;
  }
  if (request.from_ms >= request.to_ms) return http::ErrorResponse(InvalidArgument("must be before \"to\"", "from"));

  auto path = sta::ParseResourcePath("/Things(" + std::to_string(file->thing) + ")");
  if (!path.ok()) return http::ErrorResponse(path.status());
  auto thing = sensorthings.Read(
      *path, {{"$expand", "Datastreams($select=id,name,unitOfMeasurement;$orderby=id;$top=10000),Locations($select=location)"}},
      "/sta/v1.1");
  if (!thing.ok()) {
    if (thing.status().code() == ErrorCode::kNotFound) {
      return http::ErrorResponse(NotFound("no station " + std::to_string(file->thing), "path"));
    }
    return http::ErrorResponse(thing.status());
  }
  const json::object& t = thing->json.as_object();
  if (const json::value* locations = t.if_contains("Locations"); locations && locations->is_array()) {
    for (const json::value& l : locations->as_array()) {
      const json::value* geo = l.is_object() ? l.as_object().if_contains("location") : nullptr;
      if (!geo || !geo->is_object() || Text(geo->as_object(), "type") != "Point") continue;
      const json::value* c = geo->as_object().if_contains("coordinates");
      if (c && c->is_array() && c->as_array().size() >= 2 && c->as_array()[0].is_number() && c->as_array()[1].is_number()) {
        request.point = std::pair{c->as_array()[0].to_number<double>(), c->as_array()[1].to_number<double>()};
        break;
      }
    }
  }
  std::vector<int64_t> wanted;
  if (const std::string& list = r.Query("datastream"); !list.empty()) {
    for (size_t at = 0; at <= list.size();) {
      const size_t comma = std::min(list.find(',', at), list.size());
      int64_t id = 0;
      auto [end, ec] = std::from_chars(list.data() + at, list.data() + comma, id);
      if (ec != std::errc() || end != list.data() + comma || wanted.size() >= 10'000) {
        return http::ErrorResponse(InvalidArgument("must list Datastream ids, e.g. 12,13", "datastream"));
      }
      wanted.push_back(id);
      at = comma + 1;
    }
  }
  if (const json::value* streams = t.if_contains("Datastreams"); streams && streams->is_array()) {
    for (const json::value& s : streams->as_array()) {
      if (!s.is_object() || !s.as_object().contains("@iot.id") || !s.at("@iot.id").is_int64()) continue;
      DownloadSeries series{s.at("@iot.id").as_int64(), Text(s.as_object(), "name"), {}};
      if (const json::value* u = s.as_object().if_contains("unitOfMeasurement"); u && u->is_object()) {
        series.unit = Text(u->as_object(), "symbol");
      }
      if (wanted.empty() || std::find(wanted.begin(), wanted.end(), series.id) != wanted.end()) {
        request.series.push_back(std::move(series));
      }
    }
  }
  for (int64_t id : wanted) {
    if (std::none_of(request.series.begin(), request.series.end(), [&](const auto& s) { return s.id == id; })) {
      return http::ErrorResponse(InvalidArgument("Datastream " + std::to_string(id) + " is not one of this station's", "datastream"));
    }
  }

  // The validator: what is asked, and per series its newest reading and how many it has.
  std::string version = r.target;
  int64_t newest = 0;
  for (const DownloadSeries& s : request.series) {
    auto count = store.Count(s.id);
    if (!count.ok()) return http::ErrorResponse(count.status());
    const auto latest = store.Latest(s.id);
    newest = std::max(newest, latest ? latest->time_ms : 0);
    version += fmt::format("|{}:{}:{}", s.id, latest ? latest->time_ms : 0, *count);
  }
  const std::string etag = fmt::format("\"{:016x}\"", std::hash<std::string>{}(version));
  http::Response out;
  out.headers.emplace_back("ETag", etag);
  if (newest > 0) out.headers.emplace_back("Last-Modified", FormatHttpDate(newest));
  out.headers.emplace_back("Cache-Control", "no-cache");  // revalidate with the ETag
  if (r.Header("if-none-match") == etag) {
    out.status = 304;
    out.content_type.clear();
    return out;
  }
  out.stream = SeriesDownload(store, std::move(request));
  if (!out.stream) {
    return http::ErrorResponse(Unavailable("too many downloads at once; try again shortly", "path"));
  }
  out.content_type = file->content_type;
  out.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + r.Param("file") + "\"");
  return out;
}

}  // namespace datenwerk::opendata
