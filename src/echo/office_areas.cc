#include "echo/office_areas.h"

#include <algorithm>

#include <boost/json.hpp>

#include "core/utf8.h"
#include "store/change_feed.h"

namespace datenwerk::echo {

namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// "a, b" or ["a", "b"]; kInvalidArgument naming `where` for anything else.
Result<std::vector<std::string>> CategoryList(const boost::json::value* v, const std::string& where) {
  std::vector<std::string> out;
  if (!v || v->is_null()) return out;
  if (v->is_string()) {
    std::string_view rest = v->as_string();
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string code = Trim(rest.substr(0, comma));
      if (!code.empty()) out.push_back(std::move(code));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return out;
  }
  if (!v->is_array()) return InvalidArgument("properties.kategorien must be a list or text", where);
  for (const boost::json::value& c : v->as_array()) {
    if (!c.is_string()) return InvalidArgument("properties.kategorien must hold category codes", where);
    out.emplace_back(c.as_string());
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<const OfficeAreas>> OfficeAreas::Parse(std::string geojson, const Services& services) {
  if (!IsUtf8(geojson)) return InvalidArgument("is not UTF-8 text", "datei");
  auto shapes = geo::Districts::LoadChecked(geojson);
  if (!shapes.ok()) {
    if (shapes.status().field().starts_with("features[")) return shapes.status();
    return InvalidArgument("is no GeoJSON FeatureCollection of at most 1,000 polygons", "datei");
  }
  // LoadChecked took every feature in order, so the i-th shape is the i-th feature (and read the
  // text with the same depth limit).
  boost::json::parse_options options;
  options.max_depth = 64;
  boost::json::error_code ec;
  const boost::json::value doc = boost::json::parse(geojson, ec, {}, options);
  if (ec) return InvalidArgument("is no GeoJSON: " + ec.message(), "datei");
  const boost::json::array& features = doc.as_object().at("features").as_array();
  std::vector<OfficeArea> areas;
  for (size_t i = 0; i < features.size(); ++i) {
    const std::string where = "features[" + std::to_string(i) + "]";
    const boost::json::object& properties = features[i].as_object().at("properties").as_object();
    OfficeArea a;
    a.name = std::string(properties.at("name").as_string());
    if (a.name.size() > 200) return InvalidArgument("properties.name is longer than 200 bytes", where);
    const auto* office = properties.if_contains("stelle");
    if (!office || !office->is_string() || !services.FindOffice(office->as_string())) {
      return InvalidArgument("properties.stelle must name an office of stellen.csv", where);
    }
    a.office = std::string(office->as_string());
    auto categories = CategoryList(properties.if_contains("kategorien"), where);
    if (!categories.ok()) return categories.status();
    for (const std::string& code : *categories) {
      if (!services.FindCategory(code)) {
        return InvalidArgument("properties.kategorien names the unknown category \"" + code.substr(0, 50) + "\"", where);
      }
    }
    a.categories = std::move(categories).value();
    areas.push_back(std::move(a));
  }
  return std::make_shared<const OfficeAreas>(std::move(geojson), std::move(shapes).value(), std::move(areas));
}

std::optional<size_t> OfficeAreas::AreaFor(std::string_view category, double longitude, double latitude) const {
  for (size_t i : shapes_->AllAt(longitude, latitude)) {
    const auto& codes = areas_[i].categories;
    if (codes.empty() || std::find(codes.begin(), codes.end(), category) != codes.end()) return i;
  }
  return std::nullopt;
}

Result<std::unique_ptr<OfficeAreaStore>> OfficeAreaStore::Open(sql::Connection& db) {
  Status s = db.Write([](sql::Tx& tx) {
    return tx.Exec("CREATE TABLE IF NOT EXISTS echo_office_areas (id BIGINT PRIMARY KEY, geojson TEXT NOT NULL, "
                   "uploaded_by TEXT NOT NULL, uploaded BIGINT NOT NULL)");
  });
  if (!s.ok()) return s;
  return std::make_unique<OfficeAreaStore>(db);
}

Result<std::optional<StoredAreas>> OfficeAreaStore::Load() {
  auto rows = sql::ReadQuery(db_, "SELECT geojson, uploaded_by, uploaded FROM echo_office_areas WHERE id = 1");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<StoredAreas>();
  return std::optional<StoredAreas>(StoredAreas{rows->front().Text(0), rows->front().Text(1), rows->front().Int(2)});
}

Status OfficeAreaStore::Replace(const StoredAreas& areas, const std::function<Status(sql::Tx&)>& also) {
  return db_.Write([&](sql::Tx& tx) -> Status {
    auto removed = tx.Change("DELETE FROM echo_office_areas WHERE id = 1");
    if (!removed.ok()) return removed.status();
    if (!areas.geojson.empty()) {
      auto stored = tx.Change("INSERT INTO echo_office_areas (id, geojson, uploaded_by, uploaded) VALUES (1, $1, $2, $3)",
                              {areas.geojson, areas.uploaded_by, areas.uploaded_ms});
      if (!stored.ok()) return stored.status();
    }
    if (Status s = sql::Announce(tx, kOfficeAreasTopic); !s.ok()) return s;
    return also ? also(tx) : Status::Ok();
  });
}

}  // namespace datenwerk::echo
