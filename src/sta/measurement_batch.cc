#include "sta/measurement_batch.h"

#include <simdjson.h>

#include <cmath>

#include "core/dates.h"
#include "core/object_pool.h"

namespace datenwerk::sta {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr double kExactInteger = 9007199254740992.0;  // 2^53

// Parsers come from a shared pool: one per request thread kept about five times the largest
// body each had parsed (450 MB after a bulk import over 128 threads). One grown past 8 MB for an
// exceptional body is not kept.
using ParserPtr = std::unique_ptr<simdjson::dom::parser>;
ObjectPool<ParserPtr>& Parsers() {
  static ObjectPool<ParserPtr> pool([] { return std::make_unique<simdjson::dom::parser>(); }, 4,
                                    [](const simdjson::dom::parser& p) { return p.capacity() <= (size_t{8} << 20); });
  return pool;
}

enum class Cell { kNumber, kError, kOtherForm };

// The number of a result cell, if it is one a double holds exactly.
Cell ResultOf(const element& e, double& out) {
  switch (e.type()) {
    case element_type::DOUBLE: out = double(e); return std::isfinite(out) ? Cell::kNumber : Cell::kError;
    case element_type::INT64: out = static_cast<double>(int64_t(e)); break;
    case element_type::UINT64: out = static_cast<double>(uint64_t(e)); break;
    case element_type::NULL_VALUE: return Cell::kError;  // a result is required
    default: return Cell::kOtherForm;                      // text, objects, arrays, booleans
  }
  return std::abs(out) <= kExactInteger ? Cell::kNumber : Cell::kOtherForm;
}

Cell TimeOf(const element& e, int64_t& out) {
  std::string_view text;
  if (e.get_string().get(text)) return Cell::kError;
  if (text.find('/') != std::string_view::npos) return Cell::kOtherForm;  // an interval
  auto ms = ParseRfc3339Ms(text);
  if (!ms) return Cell::kError;
  out = *ms;
  return Cell::kNumber;
}

// One group; false when it is not of the fast form.
bool ReadGroup(const element& e, MeasurementGroup& group) {
  object o;
  if (e.get_object().get(o)) return false;
  int time_column = -1;
  array rows;
  bool have_rows = false;
  for (auto [key, value] : o) {
    if (key == "Datastream") {
      object ds;
      int64_t id = 0;
      if (value.get_object().get(ds) || ds.size() != 1 || ds.at_key("@iot.id").get_int64().get(id) ||
          id <= 0) {
        return false;
      }
      group.datastream = id;
    } else if (key == "components") {
      array c;
      std::string_view a, b;
      if (value.get_array().get(c) || c.size() != 2 || c.at(0).get_string().get(a) ||
          c.at(1).get_string().get(b)) {
        return false;
      }
      if (a == "phenomenonTime" && b == "result") time_column = 0;
      else if (a == "result" && b == "phenomenonTime") time_column = 1;
      else return false;
    } else if (key == "dataArray") {
      if (value.get_array().get(rows)) return false;
      have_rows = true;
    } else if (key != "dataArray@iot.count") {
      return false;
    }
  }
  if (group.datastream == 0 || time_column < 0 || !have_rows) return false;
  group.rows.reserve(rows.size());
  for (element row : rows) {
    array cells;
    if (row.get_array().get(cells) || cells.size() != 2) {
      group.rows.emplace_back();
      continue;
    }
    Measurement m;
    const Cell time = TimeOf(cells.at(time_column).value_unsafe(), m.time_ms);
    const Cell result = ResultOf(cells.at(1 - time_column).value_unsafe(), m.result);
    if (time == Cell::kOtherForm || result == Cell::kOtherForm) return false;
    if (time == Cell::kError || result == Cell::kError) {
      group.rows.emplace_back();
      continue;
    }
    group.rows.emplace_back(m);
  }
  return true;
}

}  // namespace

std::optional<std::vector<MeasurementGroup>> ReadMeasurementGroups(std::string_view body) {
  auto parser = Parsers().Take();
  if (!parser) return std::nullopt;
  element doc;  // lives in *parser: used only while the lease lasts
  if ((*parser).parse(body.data(), body.size()).get(doc)) return std::nullopt;
  array groups;
  if (doc.get_array().get(groups)) return std::nullopt;
  std::vector<MeasurementGroup> out;
  out.reserve(groups.size());
  for (element g : groups) {
    MeasurementGroup group;
    if (!ReadGroup(g, group)) return std::nullopt;
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace datenwerk::sta
