// A geocoder the city configures (--geocoder): its own Nominatim or Photon, or a service it has
// a contract with, asked for the position of an address a citizen typed. The URL is a template
// whose "{q}" becomes the percent-encoded text, e.g.
//   https://nominatim.stadt.de/search?format=jsonv2&countrycodes=de&limit=5&q={q}
// Answers are read in the two common shapes: Nominatim's array of places ("lat" and "lon" as
// text or numbers) and GeoJSON (Photon, Pelias: a FeatureCollection of Points).
//
// Bounded in every way an outside service could hurt the server: one request at a time per
// two cores (callers beyond wait at most the timeout, then get nothing), a timeout of 3 s, an
// answer of at most 512 kB, at most 10 candidates, and an LRU cache of 10,000 answers kept for a
// day (typed addresses repeat). A geocoder that fails or times out is no error for the caller:
// the address is simply not found, and the failure is logged. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace datenwerk::geocode {

struct Place {
  double lat = 0, lon = 0;
  std::string label;  // the geocoder's name for it, "" when it gave none
};

// The candidates of an answer, best first (the geocoder's order), at most `limit`.
// kInvalidArgument when it is neither shape.
Result<std::vector<Place>> ParseAnswer(std::string_view body, size_t limit = 10);

// kInvalidArgument (field "geocoder") unless an http:// or https:// URL with "{q}".
Status CheckTemplate(const std::string& url_template);

struct GeocoderOptions {
  std::string url_template;
  std::string user_agent = "Datenwerk";  // Nominatim's policy asks for one that names the operator
  std::chrono::milliseconds timeout{3000};
  size_t max_answer_bytes = 512 * 1024;
  size_t cache_entries = 10'000;
  std::chrono::hours cache_for{24};
  int concurrent = 1;
};

class Geocoder {
 public:
  explicit Geocoder(GeocoderOptions options);
  virtual ~Geocoder() = default;
  // The places the geocoder finds for `text` (at most 200 bytes are sent), best first; empty
  // when it finds none, fails or is busy past the timeout.
  std::vector<Place> Search(const std::string& text);
  // Requests actually sent (not answered from the cache), for the tests and the logs.
  int64_t RequestsSent() const;

 protected:
  // One GET of `url`: the body of a 2xx answer, or an error. Virtual for the tests.
  virtual Result<std::string> Fetch(const std::string& url);

 private:
  struct Cached {
    std::vector<Place> places;
    std::chrono::steady_clock::time_point at;
    std::list<std::string>::iterator lru;
  };
  bool Acquire();
  void Release();

  const GeocoderOptions options_;
  mutable std::mutex mu_;
  std::condition_variable free_;
  int in_flight_ = 0;
  int64_t sent_ = 0;
  std::unordered_map<std::string, Cached> cache_;
  std::list<std::string> lru_;  // most recent first
};

}  // namespace datenwerk::geocode
