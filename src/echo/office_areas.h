// Areas the city draws for which office or city company handles what where
// ("Zuständigkeitsgebiete"), uploaded by an administrator in the back office as GeoJSON: a
// FeatureCollection of Polygon or MultiPolygon features with
//   properties.name        "Betriebshof Nord"                          (required)
//   properties.stelle      an office id of stellen.csv                 (required)
//   properties.kategorien  the category codes it takes: a list, or "spielplatz, gruen";
//                          missing or empty: every category
// They come first in the routing (routing.h): a report goes to the office of the first area, in
// the file's order, that covers its point (its border included) and takes its category; where
// none does, the district rule and then the category's office apply as before. So a point on a
// border shared by two areas goes to exactly one office: the earlier area's.
//
// Parsing is pure; OfficeAreaSet holds the set in force (thread-safe), OfficeAreaStore keeps the
// uploaded text in the one database (table echo_office_areas).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "echo/services.h"
#include "geo/districts.h"
#include "store/sql_connection.h"

namespace datenwerk::echo {

struct OfficeArea {
  std::string name;
  std::string office;                   // office id
  std::vector<std::string> categories;  // category codes; empty: all
};

class OfficeAreas {
 public:
  // kInvalidArgument naming "features[i]" (from 0) for a feature that is no valid polygon, has no
  // name, names an unknown office or category; or naming "datei" for what is no GeoJSON.
  static Result<std::shared_ptr<const OfficeAreas>> Parse(std::string geojson, const Services& services);

  // The index of the area that takes reports of `category` at the point, if any.
  std::optional<size_t> AreaFor(std::string_view category, double longitude, double latitude) const;
  const std::vector<OfficeArea>& Areas() const { return areas_; }
  const std::string& GeoJson() const { return text_; }

  OfficeAreas(std::string text, std::shared_ptr<const geo::Districts> shapes, std::vector<OfficeArea> areas)
      : text_(std::move(text)), shapes_(std::move(shapes)), areas_(std::move(areas)) {}

 private:
  std::string text_;
  std::shared_ptr<const geo::Districts> shapes_;
  std::vector<OfficeArea> areas_;
};

// The areas in force; replaced whole by an upload. Thread-safe.
class OfficeAreaSet {
 public:
  std::shared_ptr<const OfficeAreas> Current() const {
    std::lock_guard lock(mu_);
    return current_;
  }
  void Set(std::shared_ptr<const OfficeAreas> areas) {
    std::lock_guard lock(mu_);
    current_ = std::move(areas);
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const OfficeAreas> current_;  // null: none uploaded
};

// What an upload or removal of the areas announces to the other nodes (store/change_feed.h).
inline constexpr char kOfficeAreasTopic[] = "buergerecho.areas";

struct StoredAreas {
  std::string geojson;
  std::string uploaded_by;  // the audit trail's actor
  int64_t uploaded_ms = 0;
};

class OfficeAreaStore {
 public:
  // Creates the table when missing. Borrows `db`. Thread-safe.
  static Result<std::unique_ptr<OfficeAreaStore>> Open(sql::Connection& db);
  explicit OfficeAreaStore(sql::Connection& db) : db_(db) {}
  // The areas uploaded last; nullopt when none are (or they were removed).
  Result<std::optional<StoredAreas>> Load();
  // Replaces them (an empty `geojson` removes them) in one write with `also` (the audit entry).
  Status Replace(const StoredAreas& areas, const std::function<Status(sql::Tx&)>& also = {});

 private:
  sql::Connection& db_;
};

}  // namespace datenwerk::echo
