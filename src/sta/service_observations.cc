// Observations: creation with the FeatureOfInterest rule of 18-088 10.2, MultiDatastream
// Observations, Datastream time spans, the write transaction, and notifications.
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

// Widens span[2 * which] / span[2 * which + 1] (start and end of phenomenonTime or resultTime)
// to cover [start, end].
void Widen(std::array<std::string, 4>& span, int which, const std::string& start,
           const std::string& end) {
  std::string& lo = span[2 * which];
  std::string& hi = span[2 * which + 1];
  if (lo.empty() || start < lo) lo = start;
  if (hi.empty() || end > hi) hi = end;
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
    if (readings_listener) NoteReading(datastream, doc);
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

Result<std::vector<int64_t>> SensorThingsService::Impl::PropertyOrder(int64_t multi) {
  auto linked = store->Linked(EntityType::kMultiDatastream, multi, "ObservedProperties");
  if (!linked.ok()) return linked.status();
  auto stored = store->Get(EntityType::kMultiDatastream, multi);
  if (!stored.ok()) return stored.status();
  std::vector<int64_t> out;
  if (*stored) {
    if (const json::value* order = (*stored)->doc.if_contains(kPropertyOrder); order && order->is_array()) {
      for (const json::value& id : order->get_array()) {
        if (id.is_int64() && std::find(linked->begin(), linked->end(), id.get_int64()) != linked->end() &&
            std::find(out.begin(), out.end(), id.get_int64()) == out.end()) {
          out.push_back(id.get_int64());
        }
      }
    }
  }
  for (int64_t id : *linked) {  // linked but not in the order (older data): after, ascending
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

Status SensorThingsService::Impl::AppendPropertyOrder(int64_t multi, int64_t property) {
  auto order = PropertyOrder(multi);
  if (!order.ok()) return order.status();
  auto stored = store->Get(EntityType::kMultiDatastream, multi);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::Ok();
  json::array ids;
  for (int64_t id : *order) {
    if (id != property) ids.push_back(id);
  }
  ids.push_back(property);
  json::object doc = (*stored)->doc;
  doc[kPropertyOrder] = std::move(ids);
  return store->Replace(EntityType::kMultiDatastream, multi, doc);
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
  Widen(spans[{stream.type, stream.id}], which, start, end);
}

Status SensorThingsService::Impl::ShrinkSpans() {
  const char* names[] = {"phenomenonTime", "resultTime"};
  for (const auto& [type, id] : shrunk) {
    auto stream = store->Get(type, id);
    if (!stream.ok()) return stream.status();
    if (!*stream) continue;
    auto observations = store->Linked(type, id, "Observations");
    if (!observations.ok()) return observations.status();
    std::array<std::string, 4> span;
    for (int64_t o : *observations) {
      auto doc = store->Get(EntityType::kObservation, o);
      if (!doc.ok()) return doc.status();
      if (!*doc) continue;
      for (int i = 0; i < 2; ++i) {
        const json::value* t = (*doc)->doc.if_contains(names[i]);
        if (!t || !t->is_string()) continue;
        auto [start, end] = Bounds(t->get_string());
        Widen(span, i, start, end);
      }
    }
    json::object doc = (*stream)->doc;
    bool changed = false;
    for (int i = 0; i < 2; ++i) {
      json::value now = span[2 * i].empty() ? json::value(nullptr)
                                            : json::value(span[2 * i] + "/" + span[2 * i + 1]);
      const json::value* old = doc.if_contains(names[i]);
      if (old ? *old == now : now.is_null()) continue;
      doc[names[i]] = std::move(now);
      changed = true;
    }
    if (changed) {
      if (auto s = store->Replace(type, id, doc); !s.ok()) return s;
    }
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
  if (InWrite()) {
    // Inside Atomically(): join its transaction; it notifies after its commit.
    if (created_out) created_out->clear();
    return work();
  }
  std::vector<CommittedReading> committed;
  Status s = store->Write([&]() -> Status {
    WriteScope scope(*this);
    Status w = work();
    if (w.ok()) w = RecordLocationHistory();
    if (w.ok()) w = ShrinkSpans();
    if (w.ok()) w = FlushSpans();
    // Handed over while the store's lock is held: the next write starts afresh.
    if (w.ok() && created_out) *created_out = std::move(created);
    if (w.ok()) committed = std::move(readings);
    return w;
  });
  if (!s.ok() && created_out) created_out->clear();
  if (s.ok() && readings_listener && !committed.empty()) readings_listener(committed);
  return s;
}

Status SensorThingsService::Atomically(const std::function<Status()>& work,
                                       const std::string& base) {
  std::vector<CreatedEntity> all;
  Status s = impl_->RunWrite(work, &all);
  if (!s.ok()) return s;
  impl_->Notify(all, base);
  return s;
}

void SensorThingsService::SetReadBudget(std::chrono::milliseconds budget) {
  impl_->read_budget = budget;
}

std::chrono::milliseconds SensorThingsService::ReadBudget() const { return impl_->read_budget; }

void SensorThingsService::SetNotifyLatestOfBulk(bool latest_only) {
  impl_->notify_latest_of_bulk = latest_only;
}

void SensorThingsService::SetReadingsListener(ReadingsListener listener) {
  impl_->readings_listener = std::move(listener);
}

void SensorThingsService::Impl::NoteReading(int64_t datastream, const json::object& doc) {
  const json::value* result = doc.if_contains("result");
  const json::value* time = doc.if_contains("phenomenonTime");
  if (!result || !result->is_number() || !time || !time->is_string()) return;
  std::string_view text = time->as_string();
  text = text.substr(0, text.find('/'));  // an interval counts by its start
  if (auto ms = ParseRfc3339Ms(text)) readings.push_back({datastream, *ms, result->to_number<double>()});
}

void SensorThingsService::SetCreatedListener(CreatedListener listener) {
  impl_->listener = std::move(listener);
}

void SensorThingsService::Impl::NotifyUpdate(const Ref& target, const json::object& patch,
                                             const json::object& rendered) {
  if (!listener) return;
  const EntityDef& def = Definition(target.type);
  const std::string self = std::string(def.set_name) + "(" + std::to_string(target.id) + ")";
  listener(self, rendered);
  for (const auto& member : patch) {
    const PropertyDef* p = def.Property(member.key());
    if (!p) continue;
    const json::value* now = rendered.if_contains(p->name);
    listener(self + "/" + std::string(p->name),
             json::object{{p->name, now ? *now : json::value(nullptr)}});
  }
  for (const NavigationDef& nav : def.navigations) {
    const NavigationDef* back = Definition(nav.target).Navigation(nav.inverse);
    if (!back || back->to_many) continue;  // only paths that end in this one entity
    auto others = store->Linked(target.type, target.id, nav.name);
    if (!others.ok()) continue;
    const EntityDef& other = Definition(nav.target);
    size_t sent = 0;
    for (int64_t id : *others) {
      if (++sent > kMaxNavigationNotices) break;
      listener(std::string(other.set_name) + "(" + std::to_string(id) + ")/" +
                   std::string(back->name),
               rendered);
    }
  }
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
