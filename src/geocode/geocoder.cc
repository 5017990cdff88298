#include "geocode/geocoder.h"

#include <cmath>

#include <boost/json.hpp>
#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "core/url.h"

namespace datenwerk::geocode {

namespace {

std::optional<double> Number(const boost::json::value* v) {
  if (!v) return std::nullopt;
  double d = 0;
  if (v->is_double()) d = v->as_double();
  else if (v->is_int64()) d = static_cast<double>(v->as_int64());
  else if (v->is_uint64()) d = static_cast<double>(v->as_uint64());
  else if (v->is_string()) {
    const std::string s(v->as_string());
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  } else {
    return std::nullopt;
  }
  return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

std::optional<Place> PlaceOf(std::optional<double> lat, std::optional<double> lon, const boost::json::value* label) {
  if (!lat || !lon || std::abs(*lat) > 90 || std::abs(*lon) > 180) return std::nullopt;
  Place p{*lat, *lon, ""};
  if (label && label->is_string()) p.label = std::string(label->as_string()).substr(0, 300);
  return p;
}

struct CurlCleanup {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};

struct Sink {
  std::string body;
  size_t limit = 0;
  bool too_large = false;
};

size_t Collect(char* data, size_t size, size_t n, void* user) {
  auto* sink = static_cast<Sink*>(user);
  if (sink->body.size() + size * n > sink->limit) {
    sink->too_large = true;
    return 0;  // ends the transfer
  }
  sink->body.append(data, size * n);
  return size * n;
}

}  // namespace

Result<std::vector<Place>> ParseAnswer(std::string_view body, size_t limit) {
  boost::json::error_code ec;
  boost::json::parse_options options;
  options.max_depth = 32;
  const boost::json::value doc = boost::json::parse(body, ec, {}, options);
  if (ec) return InvalidArgument("is not JSON: " + ec.message(), "geocoder");
  std::vector<Place> out;
  if (doc.is_array()) {  // Nominatim
    for (const boost::json::value& item : doc.as_array()) {
      if (out.size() >= limit) break;
      if (!item.is_object()) continue;
      const auto& o = item.as_object();
      if (auto p = PlaceOf(Number(o.if_contains("lat")), Number(o.if_contains("lon")), o.if_contains("display_name"))) {
        out.push_back(std::move(*p));
      }
    }
    return out;
  }
  const auto* features = doc.is_object() ? doc.as_object().if_contains("features") : nullptr;
  if (!features || !features->is_array()) {
    return InvalidArgument("is neither a list of places nor a GeoJSON FeatureCollection", "geocoder");
  }
  for (const boost::json::value& f : features->as_array()) {  // Photon, Pelias
    if (out.size() >= limit) break;
    if (!f.is_object()) continue;
    const auto* geometry = f.as_object().if_contains("geometry");
    if (!geometry || !geometry->is_object()) continue;
    const auto* type = geometry->as_object().if_contains("type");
    const auto* coordinates = geometry->as_object().if_contains("coordinates");
    if (!type || !type->is_string() || type->as_string() != "Point" || !coordinates || !coordinates->is_array() ||
        coordinates->as_array().size() < 2) {
      continue;
    }
    const auto* properties = f.as_object().if_contains("properties");
    const boost::json::value* label = nullptr;
    if (properties && properties->is_object()) {
      label = properties->as_object().if_contains("label");
      if (!label) label = properties->as_object().if_contains("name");
    }
    const auto& c = coordinates->as_array();
    if (auto p = PlaceOf(Number(&c[1]), Number(&c[0]), label)) out.push_back(std::move(*p));
  }
  return out;
}

Status CheckTemplate(const std::string& url_template) {
  if (!url_template.starts_with("http://") && !url_template.starts_with("https://")) {
    return InvalidArgument("must start with http:// or https://", "geocoder");
  }
  if (url_template.find("{q}") == std::string::npos) return InvalidArgument("needs {q} for the address", "geocoder");
  if (url_template.size() > 2000) return InvalidArgument("is longer than 2,000 characters", "geocoder");
  for (unsigned char c : url_template) {
    if (c <= ' ' || c >= 0x7f) return InvalidArgument("holds a blank or a character outside ASCII", "geocoder");
  }
  return Status::Ok();
}

Geocoder::Geocoder(GeocoderOptions options) : options_(std::move(options)) {
  static const bool initialised = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)initialised;
}

int64_t Geocoder::RequestsSent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

bool Geocoder::Acquire() {
  std::unique_lock lock(mu_);
  if (!free_.wait_for(lock, options_.timeout, [this] { return in_flight_ < options_.concurrent; })) return false;
  ++in_flight_;
  ++sent_;
  return true;
}

void Geocoder::Release() {
  {
    std::lock_guard lock(mu_);
    --in_flight_;
  }
  free_.notify_one();
}

std::vector<Place> Geocoder::Search(const std::string& typed) {
  const std::string text = typed.substr(0, 200);
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    const auto it = cache_.find(text);
    if (it != cache_.end()) {
      if (now - it->second.at < options_.cache_for) {
        lru_.splice(lru_.begin(), lru_, it->second.lru);
        return it->second.places;
      }
      lru_.erase(it->second.lru);
      cache_.erase(it);
    }
  }
  if (!Acquire()) {
    spdlog::warn("geocoder: busy, an address was not looked up");  // not which: it may be someone's home
    return {};
  }
  std::string url = options_.url_template;
  url.replace(url.find("{q}"), 3, PercentEncode(text));
  auto body = Fetch(url);
  Release();
  std::vector<Place> places;
  if (!body.ok()) {
    spdlog::warn("geocoder: {}", body.status().message());
    return {};  // not cached: the next citizen's lookup tries again
  }
  auto parsed = ParseAnswer(*body);
  if (!parsed.ok()) {
    spdlog::warn("geocoder: answer {}", parsed.status().message());
    return {};
  }
  places = std::move(parsed).value();
  std::lock_guard lock(mu_);
  if (cache_.count(text) == 0 && options_.cache_entries > 0) {
    while (cache_.size() >= options_.cache_entries) {
      cache_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.push_front(text);
    cache_.emplace(text, Cached{places, now, lru_.begin()});
  }
  return places;
}

Result<std::string> Geocoder::Fetch(const std::string& url) {
  std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
  if (!curl) return Internal("curl_easy_init failed");
  CURL* c = curl.get();
  Sink sink;
  sink.limit = options_.max_answer_bytes;
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(c);
  if (sink.too_large) return InvalidArgument("answer larger than " + std::to_string(sink.limit) + " bytes", "geocoder");
  if (rc != CURLE_OK) return Unavailable(curl_easy_strerror(rc), "geocoder");
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  if (status < 200 || status > 299) return Unavailable("answered HTTP " + std::to_string(status), "geocoder");
  return std::move(sink.body);
}

}  // namespace datenwerk::geocode
