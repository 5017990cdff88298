// Observations: creation with the FeatureOfInterest rule of 18-088 10.2, bulk creation
// (CreateObservations, 14.2; ingestion groups), Datastream time spans, and notifications.
#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "sta/service.h"
#include "sta/service_impl.h"

namespace datenwerk::sta {

namespace json = boost::json;

namespace {

constexpr std::string_view kFeatureOfLocation = "_FeatureOfInterest";  // internal link

// The start and end of a time or interval string.
std::pair<std::string, std::string> Bounds(std::string_view t) {
  size_t slash = t.find('/');
  if (slash == std::string_view::npos) return {std::string(t), std::string(t)};
  return {std::string(t.substr(0, slash)), std::string(t.substr(slash + 1))};
}

}  // namespace

Result<int64_t> SensorThingsService::Impl::DefaultFeature(const Ref& stream,
                                                          const std::string& where) {
  const std::pair key{stream.type, stream.id};
  if (auto it = default_features.find(key); it != default_features.end()) return it->second;
  auto thing = store->Linked(stream.type, stream.id, "Thing");
  if (!thing.ok()) return thing.status();
  auto locations = store->Linked(EntityType::kThing, thing->front(), "Locations");
  if (!locations.ok()) return locations.status();
  if (locations->empty()) {
    return InvalidArgument("needs a FeatureOfInterest: the Datastream's Thing has no Location",
                           Member(where, "FeatureOfInterest"));
  }
  const int64_t location_id = locations->front();
  auto existing = store->Linked(EntityType::kLocation, location_id, kFeatureOfLocation);
  if (!existing.ok()) return existing.status();
  int64_t feature_id = 0;
  if (!existing->empty()) {
    feature_id = existing->front();
  } else {
    auto location = store->Get(EntityType::kLocation, location_id);
    if (!location.ok()) return location.status();
    const json::object& l = (*location)->doc;
    auto field = [&](const char* name, json::value otherwise) {
      return l.contains(name) ? l.at(name) : otherwise;
    };
    json::object feature{{"name", field("name", "")},
                         {"description", field("description", "")},
                         {"encodingType", field("encodingType", "application/geo+json")},
                         {"feature", field("location", nullptr)}};
    auto made = store->Insert(EntityType::kFeatureOfInterest, feature);
    if (!made.ok()) return made.status();
    feature_id = *made;
    created.push_back({{EntityType::kFeatureOfInterest, feature_id}, std::nullopt});
    if (auto s = store->Link(EntityType::kLocation, location_id, kFeatureOfLocation,
                             EntityType::kFeatureOfInterest, feature_id);
        !s.ok()) {
      return s;
    }
  }
  default_features[key] = feature_id;
  return feature_id;
}

Result<Ref> SensorThingsService::Impl::CreateObservation(const json::object& doc,
                                                         int64_t datastream, int64_t feature,
                                                         const std::string& where) {
  if (feature == 0) {
    auto made = DefaultFeature({EntityType::kDatastream, datastream}, where);
    if (!made.ok()) return made.status();
    feature = *made;
  }
  auto inserted = store->InsertObservation(doc, datastream, feature);
  if (!inserted.ok()) return inserted.status();
  const Ref self{EntityType::kObservation, inserted->id};
  if (inserted->created) {
    created.push_back({self, doc});
    if (!inserted->series) WidenSpans({EntityType::kDatastream, datastream}, doc);
  }
  return self;
}

Result<Ref> SensorThingsService::Impl::CreateMultiObservation(const json::object& doc,
                                                              int64_t multi, int64_t feature,
                                                              const std::string& where) {
  const Ref stream{EntityType::kMultiDatastream, multi};
  auto owner = store->Get(stream.type, stream.id);
  if (!owner.ok()) return owner.status();
  const json::value* units = *owner ? (*owner)->doc.if_contains("unitOfMeasurements") : nullptr;
  const json::value& result = doc.at("result");
  if (!units || !units->is_array() || !result.is_array() ||
      result.as_array().size() != units->as_array().size()) {
    return InvalidArgument("must be an array with one value per ObservedProperty of the "
                           "MultiDatastream",
                           Member(where, "result"));
  }
  if (feature == 0) {
    auto made = DefaultFeature(stream, where);
    if (!made.ok()) return made.status();
    feature = *made;
  }
  auto id = store->Insert(EntityType::kObservation, doc);
  if (!id.ok()) return id.status();
  const Ref self{EntityType::kObservation, *id};
  const EntityDef& def = Definition(EntityType::kObservation);
  if (auto s = LinkBoth(self, *def.Navigation("MultiDatastream"), stream); !s.ok()) return s;
  if (auto s = LinkBoth(self, *def.Navigation("FeatureOfInterest"),
                        {EntityType::kFeatureOfInterest, feature});
      !s.ok()) {
    return s;
  }
  created.push_back({self, doc});
  WidenSpans(stream, doc);
  return self;
}

Status SensorThingsService::Impl::CheckMultiDatastream(int64_t id, const std::string& where) {
  auto multi = store->Get(EntityType::kMultiDatastream, id);
  if (!multi.ok()) return multi.status();
  if (!*multi) return Status::Ok();
  auto properties = store->Linked(EntityType::kMultiDatastream, id, "ObservedProperties");
  if (!properties.ok()) return properties.status();
  const json::object& doc = (*multi)->doc;
  const json::value* units = doc.if_contains("unitOfMeasurements");
  const json::value* types = doc.if_contains("multiObservationDataTypes");
  const size_t n = properties->size();
  if (n == 0) return InvalidArgument("needs at least one ObservedProperty", Member(where, "ObservedProperties"));
  if (!units || !units->is_array() || units->as_array().size() != n) {
    return InvalidArgument("needs one unit per ObservedProperty (" + std::to_string(n) + ")",
                           Member(where, "unitOfMeasurements"));
  }
  for (const json::value& unit : units->as_array()) {
    if (!unit.is_object()) return InvalidArgument("units are JSON objects", Member(where, "unitOfMeasurements"));
  }
  if (!types || !types->is_array() || types->as_array().size() != n) {
    return InvalidArgument("needs one data type per ObservedProperty (" + std::to_string(n) + ")",
                           Member(where, "multiObservationDataTypes"));
  }
  for (const json::value& type : types->as_array()) {
    if (!type.is_string()) return InvalidArgument("data types are strings", Member(where, "multiObservationDataTypes"));
  }
  const json::value* kind = doc.if_contains("observationType");
  if (!kind || !kind->is_string() || !kind->get_string().ends_with("OM_ComplexObservation")) {
    return InvalidArgument("must be http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_ComplexObservation",
                           Member(where, "observationType"));
  }
  return Status::Ok();
}

void SensorThingsService::Impl::WidenSpans(const Ref& stream, const json::object& observation) {
  const char* names[] = {"phenomenonTime", "resultTime"};
  for (int i = 0; i < 2; ++i) {
    const json::value* t = observation.if_contains(names[i]);
    if (!t || !t->is_string()) continue;
    auto [start, end] = Bounds(t->get_string());
    WidenSpan(stream, i, start, end);
  }
}

void SensorThingsService::Impl::WidenSpan(const Ref& stream, int which, const std::string& start,
                                          const std::string& end) {
  std::array<std::string, 4>& span = spans[{stream.type, stream.id}];
  std::string& lo = span[2 * which];
  std::string& hi = span[2 * which + 1];
  if (lo.empty() || start < lo) lo = start;
  if (hi.empty() || end > hi) hi = end;
}

Status SensorThingsService::Impl::CreatePlainRows(const json::value& datastream_id,
                                                  const json::array& rows, size_t time_column,
                                                  const std::string& base, json::array& answer) {
  const size_t result_column = 1 - time_column;
  const EntityDef& def = Definition(EntityType::kObservation);
  // A row that is not plain (or a Datastream that cannot take any) goes the general way.
  auto one_by_one = [&](const json::value& row) -> Status {
    if (!row.is_array() || row.as_array().size() != 2) {
      answer.emplace_back("error");
      return Status::Ok();
    }
    json::object observation{{"Datastream", json::object{{"@iot.id", datastream_id}}},
                             {"phenomenonTime", row.as_array()[time_column]},
                             {"result", row.as_array()[result_column]}};
    auto created = CreateEntity(def, observation, std::nullopt, "");
    if (created.ok()) {
      answer.emplace_back(SelfLink(base, created->type, created->id));
    } else if (created.status().code() == ErrorCode::kInvalidArgument) {
      answer.emplace_back("error");
    } else {
      return created.status();
    }
    return Status::Ok();
  };
  auto feature = PlainTarget(datastream_id);
  if (!feature.ok()) {
    if (feature.status().code() != ErrorCode::kInvalidArgument) return feature.status();
    for (const json::value& row : rows) {
      if (auto s = one_by_one(row); !s.ok()) return s;
    }
    return Status::Ok();
  }
  const int64_t ds = datastream_id.to_number<int64_t>();
  std::vector<Measurement> plain;
  std::vector<size_t> slots;
  plain.reserve(rows.size());
  slots.reserve(rows.size());
  for (const json::value& row : rows) {
    const json::array* cells = row.if_array();
    if (cells && cells->size() == 2) {
      const json::value& t = (*cells)[time_column];
      const json::value& v = (*cells)[result_column];
      std::optional<int64_t> ms;
      if (t.is_string() && t.get_string().find('/') == json::string::npos) {
        ms = ParseRfc3339Ms(t.get_string());
      }
      if (ms && (v.is_double() || (v.is_number() && std::abs(v.to_number<double>()) <= 9007199254740992.0))) {
        slots.push_back(answer.size());
        answer.emplace_back(nullptr);
        plain.push_back({*ms, v.to_number<double>()});
        continue;
      }
    }
    if (auto s = one_by_one(row); !s.ok()) return s;
  }
  std::vector<int64_t> ids;
  if (auto s = InsertPlain(ds, *feature, plain, ids); !s.ok()) return s;
  const std::string prefix = base + "/Observations(";
  for (size_t i = 0; i < ids.size(); ++i) answer[slots[i]] = prefix + std::to_string(ids[i]) + ")";
  return Status::Ok();
}

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

Status SensorThingsService::Impl::FlushSpans() {
  // Keep each Datastream's phenomenonTime and resultTime spanning its Observations.
  for (const auto& [owner, span] : spans) {
    const auto& [type, id] = owner;
    auto stream = store->Get(type, id);
    if (!stream.ok()) return stream.status();
    if (!*stream) continue;
    json::object doc = (*stream)->doc;
    const char* names[] = {"phenomenonTime", "resultTime"};
    bool changed = false;
    for (int i = 0; i < 2; ++i) {
      std::string start = span[2 * i], end = span[2 * i + 1];
      if (start.empty()) continue;
      if (const json::value* old = doc.if_contains(names[i]); old && old->is_string()) {
        auto [os, oe] = Bounds(old->get_string());
        start = std::min(start, os);
        end = std::max(end, oe);
      }
      json::value widened(start + "/" + end);
      if (doc.contains(names[i]) && doc.at(names[i]) == widened) continue;
      doc[names[i]] = std::move(widened);
      changed = true;
    }
    if (!changed) continue;
    if (auto s = store->Replace(type, id, doc); !s.ok()) return s;
  }
  return Status::Ok();
}

Status SensorThingsService::Impl::RunWrite(const std::function<Status()>& work,
                                           std::vector<CreatedEntity>* created_out) {
  if (writer.load() == std::this_thread::get_id()) {
    // Inside Atomically(): join its transaction; it notifies after its commit.
    if (created_out) created_out->clear();
    return work();
  }
  auto reset = [this] {
    created.clear();
    spans.clear();
    default_features.clear();
    known.clear();
    writing = false;
  };
  Status s = store->Write([&]() -> Status {
    reset();
    writing = true;
    writer = std::this_thread::get_id();
    Status w = work();
    writing = false;
    if (w.ok()) w = FlushSpans();
    // Handed over while the store's lock is held: the next write starts afresh.
    if (w.ok() && created_out) *created_out = std::move(created);
    reset();
    writer = std::thread::id();
    return w;
  });
  writer = std::thread::id();
  if (!s.ok() && created_out) created_out->clear();
  return s;
}

Result<json::array> SensorThingsService::CreateObservations(const json::value& body,
                                                            const std::string& base) {
  if (!body.is_array()) return InvalidArgument("must be a JSON array", "body");
  static constexpr std::string_view kComponents[] = {"phenomenonTime", "result", "resultTime",
                                                     "resultQuality",  "validTime", "parameters",
                                                     "FeatureOfInterest/id"};
  struct Group {
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
    const json::value* ds = group.if_contains("Datastream");
    const json::value* ds_id = ds && ds->is_object() ? ds->as_object().if_contains("@iot.id") : nullptr;
    if (!ds_id || !ds_id->is_number()) {
      return InvalidArgument("needs {\"@iot.id\": n}", where + ".Datastream");
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
    groups.push_back({ds_id, std::move(columns), &rows->as_array()});
  }
  // One transaction for the whole request; a row that is invalid answers "error" in its place.
  json::array answer;
  std::vector<CreatedEntity> all;
  const EntityDef& def = Definition(EntityType::kObservation);
  Status s = impl_->RunWrite([&]() -> Status {
    answer.clear();
    for (const Group& group : groups) {
      // The usual form, [phenomenonTime, result] rows, is stored as one batch.
      if (group.columns.size() == 2 && group.columns[0] != group.columns[1] &&
          (group.columns[0] == "phenomenonTime" || group.columns[1] == "phenomenonTime") &&
          (group.columns[0] == "result" || group.columns[1] == "result")) {
        const size_t time_column = group.columns[0] == "phenomenonTime" ? 0 : 1;
        if (auto s = impl_->CreatePlainRows(*group.datastream, *group.rows, time_column, base,
                                            answer);
            !s.ok()) {
          return s;
        }
        continue;
      }
      for (const json::value& row : *group.rows) {
        if (!row.is_array() || row.as_array().size() != group.columns.size()) {
          answer.emplace_back("error");
          continue;
        }
        json::object observation{{"Datastream", json::object{{"@iot.id", *group.datastream}}}};
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

Status SensorThingsService::Atomically(const std::function<Status()>& work,
                                       const std::string& base) {
  std::vector<CreatedEntity> all;
  Status s = impl_->RunWrite(work, &all);
  if (!s.ok()) return s;
  impl_->Notify(all, base);
  return s;
}

void SensorThingsService::SetNotifyLatestOfBulk(bool latest_only) {
  impl_->notify_latest_of_bulk = latest_only;
}

void SensorThingsService::SetCreatedListener(CreatedListener listener) {
  impl_->listener = std::move(listener);
}

void SensorThingsService::Impl::Notify(const std::vector<CreatedEntity>& entities,
                                       const std::string& base) {
  if (!listener) return;
  for (const auto& [ref, doc] : entities) {
    std::optional<StoredEntity> entity;
    if (doc) {
      entity = StoredEntity{ref.id, *doc};
    } else {
      auto stored = store->Get(ref.type, ref.id);
      if (!stored.ok() || !*stored) continue;
      entity = std::move(*stored);
    }
    auto rendered = Render(ref.type, *entity, {}, base);
    if (!rendered.ok()) continue;
    const EntityDef& def = Definition(ref.type);
    listener(std::string(def.set_name), *rendered);
    // Also under each entity it belongs to: Datastreams(3)/Observations, Things(1)/Datastreams.
    for (const NavigationDef& nav : def.navigations) {
      if (nav.to_many) continue;
      auto owners = store->Linked(ref.type, ref.id, nav.name);
      if (!owners.ok()) continue;
      const EntityDef& owner = Definition(nav.target);
      for (int64_t id : *owners) {
        listener(std::string(owner.set_name) + "(" + std::to_string(id) + ")/" +
                     std::string(nav.inverse),
                 *rendered);
      }
    }
  }
}

}  // namespace datenwerk::sta
