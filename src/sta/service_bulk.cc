// Bulk creation of Observations: CreateObservations (18-088 14.2) in one transaction, row by
// row in general and as one batch of measurements when ReadMeasurementGroups read the request;
// and ingestion groups.
#include <algorithm>
#include <limits>

#include "sta/service.h"
#include "sta/service_impl.h"

namespace datenwerk::sta {

namespace json = boost::json;

Result<int64_t> SensorThingsService::Impl::PlainTarget(const json::value& datastream_id) {
  auto datastream = LinkTarget(Definition(EntityType::kDatastream),
                               json::object{{"@iot.id", datastream_id}}, "Datastream");
  if (!datastream.ok()) return datastream.status();
  return DefaultFeature(**datastream, "");
}

Status SensorThingsService::Impl::InsertPlain(int64_t ds, int64_t feature,
                                              const std::vector<Measurement>& rows,
                                              std::vector<int64_t>& ids) {
  auto inserted = store->InsertMeasurements(ds, feature, rows);
  if (!inserted.ok()) return inserted.status();
  int64_t first = std::numeric_limits<int64_t>::max(), last = std::numeric_limits<int64_t>::min();
  std::optional<size_t> newest;
  ids.reserve(ids.size() + rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const InsertedObservation& o = (*inserted)[i];
    ids.push_back(o.id);
    if (!o.created) continue;
    if (!o.series) {
      first = std::min(first, rows[i].time_ms);
      last = std::max(last, rows[i].time_ms);
    }
    if (!newest || rows[i].time_ms > rows[*newest].time_ms) newest = i;
    if (readings_listener) readings.push_back({ds, rows[i].time_ms, rows[i].result});
    if (listener && !notify_latest_of_bulk) {
      created.push_back({{EntityType::kObservation, o.id}, MeasurementDoc(rows[i])});
    }
  }
  if (listener && notify_latest_of_bulk && newest) {
    created.push_back({{EntityType::kObservation, (*inserted)[*newest].id}, MeasurementDoc(rows[*newest])});
  }
  if (first <= last) {
    WidenSpan({EntityType::kDatastream, ds}, 0, FormatRfc3339Ms(first), FormatRfc3339Ms(last));
  }
  return Status::Ok();
}

Result<json::array> SensorThingsService::CreateObservations(const json::value& body,
                                                            const std::string& base) {
  if (!body.is_array()) return InvalidArgument("must be a JSON array", "body");
  static constexpr std::string_view kComponents[] = {"phenomenonTime", "result", "resultTime",
                                                     "resultQuality",  "validTime", "parameters",
                                                     "FeatureOfInterest/id"};
  struct Group {
    const char* stream;  // "Datastream" or "MultiDatastream"
    const json::value* datastream;
    std::vector<std::string> columns;
    const json::array* rows;
  };
  std::vector<Group> groups;
  const json::array& items = body.as_array();
  for (size_t g = 0; g < items.size(); ++g) {
    const std::string where = "[" + std::to_string(g) + "]";
    if (!items[g].is_object()) return InvalidArgument("must be an object", where);
    const json::object& group = items[g].as_object();
    // A Datastream, or (the Data Array extension for 13's MultiDatastreams) a MultiDatastream.
    const char* stream = group.contains("MultiDatastream") ? "MultiDatastream" : "Datastream";
    const json::value* ds = group.if_contains(stream);
    const json::value* ds_id = ds && ds->is_object() ? ds->as_object().if_contains("@iot.id") : nullptr;
    if (!ds_id || !ds_id->is_number()) {
      return InvalidArgument("needs {\"@iot.id\": n}", where + "." + stream);
    }
    const json::value* components = group.if_contains("components");
    if (!components || !components->is_array() || components->as_array().empty()) {
      return InvalidArgument("must list the columns", where + ".components");
    }
    std::vector<std::string> columns;
    for (const json::value& c : components->as_array()) {
      if (!c.is_string() || std::find(std::begin(kComponents), std::end(kComponents),
                                      std::string_view(c.as_string())) == std::end(kComponents)) {
        return InvalidArgument("unknown component " + json::serialize(c), where + ".components");
      }
      columns.emplace_back(c.as_string());
    }
    const json::value* rows = group.if_contains("dataArray");
    if (!rows || !rows->is_array()) return InvalidArgument("must be an array", where + ".dataArray");
    groups.push_back({stream, ds_id, std::move(columns), &rows->as_array()});
  }
  // One transaction for the whole request; a row that is invalid answers "error" in its place.
  json::array answer;
  std::vector<CreatedEntity> all;
  const EntityDef& def = Definition(EntityType::kObservation);
  Status s = impl_->RunWrite([&]() -> Status {
    answer.clear();
    for (const Group& group : groups) {
      for (const json::value& row : *group.rows) {
        if (!row.is_array() || row.as_array().size() != group.columns.size()) {
          answer.emplace_back("error");
          continue;
        }
        json::object observation{{group.stream, json::object{{"@iot.id", *group.datastream}}}};
        for (size_t i = 0; i < group.columns.size(); ++i) {
          const json::value& cell = row.as_array()[i];
          if (group.columns[i] == "FeatureOfInterest/id") {
            observation["FeatureOfInterest"] = json::object{{"@iot.id", cell}};
          } else {
            observation[group.columns[i]] = cell;
          }
        }
        auto created = impl_->CreateEntity(def, observation, std::nullopt, "");
        if (created.ok()) {
          answer.emplace_back(Impl::SelfLink(base, created->type, created->id));
        } else if (created.status().code() == ErrorCode::kInvalidArgument) {
          answer.emplace_back("error");
        } else {
          return created.status();
        }
      }
    }
    return Status::Ok();
  }, &all);
  if (!s.ok()) return s;
  impl_->Notify(all, base);
  return answer;
}


Result<std::vector<std::string>> SensorThingsService::CreateObservationGroup(
    const std::vector<json::object>& observations, const std::string& base) {
  std::vector<std::string> links;
  std::vector<CreatedEntity> all;
  Status s = impl_->RunWrite([&]() -> Status {
    links.clear();
    for (size_t i = 0; i < observations.size(); ++i) {
      auto ref = impl_->CreateEntity(Definition(EntityType::kObservation), observations[i],
                                     std::nullopt, "[" + std::to_string(i) + "]");
      if (!ref.ok()) return ref.status();
      links.push_back(Impl::SelfLink(base, ref->type, ref->id));
    }
    return Status::Ok();
  }, &all);
  if (!s.ok()) return s;
  impl_->Notify(all, base);
  return links;
}


Result<std::vector<std::optional<int64_t>>> SensorThingsService::CreateMeasurements(
    const std::vector<MeasurementGroup>& groups, const std::string& base) {
  std::vector<std::optional<int64_t>> answer;
  std::vector<CreatedEntity> all;
  Status s = impl_->RunWrite([&]() -> Status {
    answer.clear();
    for (const MeasurementGroup& group : groups) {
      const size_t begin = answer.size();
      answer.resize(begin + group.rows.size());
      auto feature = impl_->PlainTarget(json::value(group.datastream));
      if (!feature.ok()) {
        if (feature.status().code() != ErrorCode::kInvalidArgument) return feature.status();
        continue;  // no such Datastream: every row answers "error"
      }
      std::vector<Measurement> rows;
      rows.reserve(group.rows.size());
      for (const auto& row : group.rows) {
        if (row) rows.push_back(*row);
      }
      std::vector<int64_t> ids;
      if (auto st = impl_->InsertPlain(group.datastream, *feature, rows, ids); !st.ok()) return st;
      size_t next = 0;
      for (size_t i = 0; i < group.rows.size(); ++i) {
        if (group.rows[i]) answer[begin + i] = ids[next++];
      }
    }
    return Status::Ok();
  }, &all);
  if (!s.ok()) return s;
  impl_->Notify(all, base);
  return answer;
}

}  // namespace datenwerk::sta
