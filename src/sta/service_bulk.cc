// Bulk creation of Observations: CreateObservations (18-088 14.2) in one transaction, row by
// row in general and as one batch of measurements when ReadMeasurementGroups read the request;
// and ingestion groups.
#include <algorithm>

#include "sta/service.h"
#include "sta/service_impl.h"

namespace datenwerk::sta {

namespace json = boost::json;

Result<int64_t> SensorThingsService::Impl::PlainTarget(WriteContext& c,
                                                       const json::value& datastream_id) {
  auto datastream = LinkTarget(c, Definition(EntityType::kDatastream),
                               json::object{{"@iot.id", datastream_id}}, "Datastream");
  if (!datastream.ok()) return datastream.status();
  return DefaultFeature(c, **datastream, "");
}

Result<json::array> SensorThingsService::CreateObservations(const json::value& body,
                                                            const std::string& base,
                                                            ChangeSet* changes) {
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
  WriteContext own(*impl_->store, impl_->feature_hints.Generation());
  WriteContext& c = changes ? *changes->context_ : own;
  const EntityDef& def = Definition(EntityType::kObservation);
  std::vector<std::optional<Ref>> made;
  for (const Group& group : groups) {
    for (const json::value& row : *group.rows) {
      if (!row.is_array() || row.as_array().size() != group.columns.size()) {
        made.emplace_back();
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
      auto created = impl_->CreateEntity(c, def, observation, std::nullopt, "");
      if (created.ok()) {
        made.emplace_back(*created);
      } else if (created.status().code() == ErrorCode::kInvalidArgument) {
        made.emplace_back();
      } else {
        return created.status();
      }
    }
  }
  std::vector<OpResult> results;
  if (!changes) {
    auto applied = impl_->Commit(c, base);
    if (!applied.ok()) return applied.status();
    results = std::move(applied).value();
  }
  json::array answer;
  for (const std::optional<Ref>& ref : made) {
    if (!ref) {
      answer.emplace_back("error");
      continue;
    }
    answer.emplace_back(Impl::SelfLink(base, ref->type, Impl::AppliedId(results, *ref)));
  }
  return answer;
}


Result<std::vector<std::string>> SensorThingsService::CreateObservationGroup(
    const std::vector<json::object>& observations, const std::string& base, ChangeSet* changes,
    const sql::Statement* first, const std::string& first_where) {
  WriteContext own(*impl_->store, impl_->feature_hints.Generation());
  WriteContext& c = changes ? *changes->context_ : own;
  if (first) c.w.Statement(*first, first_where);
  std::vector<Ref> refs;
  for (size_t i = 0; i < observations.size(); ++i) {
    auto ref = impl_->CreateEntity(c, Definition(EntityType::kObservation), observations[i],
                                   std::nullopt, "[" + std::to_string(i) + "]");
    if (!ref.ok()) return ref.status();
    refs.push_back(*ref);
  }
  std::vector<OpResult> results;
  if (!changes) {
    auto applied = impl_->Commit(c, base);
    if (!applied.ok()) return applied.status();
    results = std::move(applied).value();
  }
  std::vector<std::string> links;
  for (const Ref& ref : refs) links.push_back(Impl::SelfLink(base, ref.type, Impl::AppliedId(results, ref)));
  return links;
}

Result<std::vector<std::string>> SensorThingsService::CreateReadings(
    const std::vector<std::pair<int64_t, Measurement>>& readings, const std::string& base,
    const sql::Statement* first, const std::string& first_where) {
  WriteContext c(*impl_->store, impl_->feature_hints.Generation());
  if (first) c.w.Statement(*first, first_where);
  std::vector<size_t> ops;
  for (size_t i = 0; i < readings.size(); ++i) {
    const auto& [datastream, reading] = readings[i];
    auto feature = impl_->PlainTarget(c, json::value(datastream));
    if (!feature.ok()) {
      const Status& s = feature.status();
      return Status(s.code(), s.message(), "[" + std::to_string(i) + "]." + s.field());
    }
    ops.push_back(c.w.Measurements(datastream, *feature, {reading}));
  }
  auto applied = impl_->Commit(c, base);
  if (!applied.ok()) return applied.status();
  std::vector<std::string> links;
  links.reserve(ops.size());
  for (size_t op : ops) {
    links.push_back(Impl::SelfLink(base, EntityType::kObservation, applied->at(op).observations.at(0).id));
  }
  return links;
}

Result<std::vector<std::optional<int64_t>>> SensorThingsService::CreateMeasurements(
    const std::vector<MeasurementGroup>& groups, const std::string& base, ChangeSet* changes) {
  WriteContext own(*impl_->store, impl_->feature_hints.Generation());
  WriteContext& c = changes ? *changes->context_ : own;
  std::vector<std::optional<size_t>> ops;  // per group: its op, none when it has no Datastream
  for (const MeasurementGroup& group : groups) {
    auto feature = impl_->PlainTarget(c, json::value(group.datastream));
    if (!feature.ok()) {
      if (feature.status().code() != ErrorCode::kInvalidArgument) return feature.status();
      ops.emplace_back();  // no such Datastream: every row answers "error"
      continue;
    }
    std::vector<Measurement> rows;
    rows.reserve(group.rows.size());
    for (const auto& row : group.rows) {
      if (row) rows.push_back(*row);
    }
    ops.emplace_back(c.w.Measurements(group.datastream, *feature, std::move(rows)));
  }
  std::vector<OpResult> results;
  if (!changes) {
    auto applied = impl_->Commit(c, base);
    if (!applied.ok()) return applied.status();
    results = std::move(applied).value();
  }
  std::vector<std::optional<int64_t>> answer;
  for (size_t g = 0; g < groups.size(); ++g) {
    size_t next = 0;
    for (const auto& row : groups[g].rows) {
      if (!row || !ops[g]) {
        answer.emplace_back();
        continue;
      }
      const size_t k = next++;
      if (changes) {
        answer.emplace_back(0);  // known once the change set is applied
      } else {
        answer.emplace_back(results.at(*ops[g]).observations.at(k).id);
      }
    }
  }
  return answer;
}

}  // namespace datenwerk::sta
