// Observations: creation with the FeatureOfInterest rule of 18-088 10.2, MultiDatastream
// Observations, committing a built write, change sets, and notifications.
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

}  // namespace

std::optional<int64_t> SensorThingsService::Impl::FeatureHints::Find(EntityType type, int64_t id) {
  MutexLock lock(mu_);
  auto it = features_.find({type, id});
  if (it == features_.end()) return std::nullopt;
  return it->second;
}

void SensorThingsService::Impl::FeatureHints::Remember(EntityType type, int64_t id, int64_t feature,
                                                       uint64_t generation) {
  MutexLock lock(mu_);
  if (generation != generation_) return;  // read before the hints were emptied: maybe stale
  if (features_.size() >= kMaxEntries) features_.clear();
  features_[{type, id}] = feature;
}

uint64_t SensorThingsService::Impl::FeatureHints::Generation() {
  MutexLock lock(mu_);
  return generation_;
}

void SensorThingsService::Impl::FeatureHints::Clear() {
  MutexLock lock(mu_);
  ++generation_;
  features_.clear();
}

Result<int64_t> SensorThingsService::Impl::DefaultFeature(WriteContext& c, const Ref& stream,
                                                          const std::string& where) {
  const std::pair key{stream.type, stream.id};
  if (auto it = c.default_features.find(key); it != c.default_features.end()) return it->second;
  if (auto hint = feature_hints.Find(stream.type, stream.id)) {
    c.w.Require(EntityType::kFeatureOfInterest, *hint, Member(where, "FeatureOfInterest"));
    c.default_features[key] = *hint;
    return *hint;
  }
  auto thing = c.w.Linked(stream.type, stream.id, "Thing");
  if (!thing.ok()) return thing.status();
  if (thing->empty()) return InvalidArgument("the Datastream has no Thing", Member(where, "Datastream"));
  auto locations = c.w.Linked(EntityType::kThing, thing->front(), "Locations");
  if (!locations.ok()) return locations.status();
  if (locations->empty()) {
    return InvalidArgument("needs a FeatureOfInterest: the Datastream's Thing has no Location",
                           Member(where, "FeatureOfInterest"));
  }
  const int64_t location_id = locations->front();
  auto existing = c.w.Linked(EntityType::kLocation, location_id, kFeatureOfLocation);
  if (!existing.ok()) return existing.status();
  int64_t feature_id = 0;
  if (!existing->empty()) {
    feature_id = existing->front();
    c.w.Require(EntityType::kFeatureOfInterest, feature_id, Member(where, "FeatureOfInterest"));
    feature_hints.Remember(stream.type, stream.id, feature_id, c.hints_generation);
  } else {
    auto location = c.w.Get(EntityType::kLocation, location_id);
    if (!location.ok()) return location.status();
    if (!*location) return InvalidArgument("the Location is gone", Member(where, "FeatureOfInterest"));
    const json::object& l = (*location)->doc;
    auto field = [&](const char* name, json::value otherwise) {
      return l.contains(name) ? l.at(name) : otherwise;
    };
    json::object feature{{"name", field("name", "")},
                         {"description", field("description", "")},
                         {"encodingType", field("encodingType", "application/geo+json")},
                         {"feature", field("location", nullptr)}};
    // Made once: a write that reaches the Location first wins, the others take its feature.
    auto made = c.w.InsertUnlessLinked(EntityType::kLocation, location_id, kFeatureOfLocation,
                                       EntityType::kFeatureOfInterest, feature);
    if (!made.ok()) return made.status();
    feature_id = made->first;
  }
  c.default_features[key] = feature_id;
  return feature_id;
}

Result<Ref> SensorThingsService::Impl::CreateObservation(WriteContext& c, const json::object& doc,
                                                         int64_t datastream, int64_t feature,
                                                         const std::string& where) {
  if (feature == 0) {
    auto made = DefaultFeature(c, {EntityType::kDatastream, datastream}, where);
    if (!made.ok()) return made.status();
    feature = *made;
  }
  std::optional<int64_t> id;
  if (c.reserve_observation_ids) {
    auto reserved = store->ReserveId(EntityType::kObservation);
    if (!reserved.ok()) return reserved.status();
    id = *reserved;
  }
  const size_t op = c.w.Observation(doc, EntityType::kDatastream, datastream, feature, id);
  return Ref{EntityType::kObservation, id ? *id : -static_cast<int64_t>(op) - 1};
}

int64_t SensorThingsService::Impl::AppliedId(const std::vector<OpResult>& results, const Ref& ref) {
  if (ref.type != EntityType::kObservation || ref.id >= 0) return ref.id;
  const OpResult& r = results[static_cast<size_t>(-ref.id - 1)];
  return r.observations.empty() ? 0 : r.observations.front().id;
}

Result<Ref> SensorThingsService::Impl::CreateMultiObservation(WriteContext& c,
                                                              const json::object& doc,
                                                              int64_t multi, int64_t feature,
                                                              const std::string& where) {
  const Ref stream{EntityType::kMultiDatastream, multi};
  auto owner = c.w.Get(stream.type, stream.id);
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
    auto made = DefaultFeature(c, stream, where);
    if (!made.ok()) return made.status();
    feature = *made;
  }
  auto id = store->ReserveId(EntityType::kObservation);  // always a document
  if (!id.ok()) return id.status();
  c.w.Observation(doc, stream.type, stream.id, feature, *id);
  return Ref{EntityType::kObservation, *id};
}

Result<std::vector<int64_t>> SensorThingsService::Impl::PropertyOrder(EntityReader& r,
                                                                     int64_t multi) {
  auto linked = r.Linked(EntityType::kMultiDatastream, multi, "ObservedProperties");
  if (!linked.ok()) return linked.status();
  auto stored = r.Get(EntityType::kMultiDatastream, multi);
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

Status SensorThingsService::Impl::AppendPropertyOrder(WriteContext& c, int64_t multi,
                                                      int64_t property) {
  auto order = PropertyOrder(c.w, multi);
  if (!order.ok()) return order.status();
  auto stored = c.w.Get(EntityType::kMultiDatastream, multi);
  if (!stored.ok()) return stored.status();
  if (!*stored) return Status::Ok();
  json::array ids;
  for (int64_t id : *order) {
    if (id != property) ids.push_back(id);
  }
  ids.push_back(property);
  json::object doc = (*stored)->doc;
  doc[kPropertyOrder] = std::move(ids);
  c.w.Replace(EntityType::kMultiDatastream, multi, doc);
  return Status::Ok();
}

Status SensorThingsService::Impl::CheckMultiDatastream(EntityReader& r, int64_t id,
                                                       const std::string& where) {
  auto multi = r.Get(EntityType::kMultiDatastream, id);
  if (!multi.ok()) return multi.status();
  if (!*multi) return Status::Ok();
  auto properties = r.Linked(EntityType::kMultiDatastream, id, "ObservedProperties");
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

Result<std::vector<OpResult>> SensorThingsService::Impl::Commit(WriteContext& c,
                                                               const std::string& base) {
  if (Status s = RecordLocationHistory(c); !s.ok()) return s;
  if (c.w.batch().empty()) return std::vector<OpResult>{};
  const bool only_observations = c.w.batch().OnlyObservations();
  if (!only_observations) feature_hints.Clear();  // before: a write built meanwhile must not keep an old one
  auto results = store->Apply(c.w.batch());
  if (!only_observations) feature_hints.Clear();
  if (!results.ok()) return results.status();
  Notify(c.w.batch(), *results, base);
  return results;
}

ChangeSet::ChangeSet(std::unique_ptr<WriteContext> context) : context_(std::move(context)) {}
ChangeSet::ChangeSet(ChangeSet&&) noexcept = default;
ChangeSet& ChangeSet::operator=(ChangeSet&&) noexcept = default;
ChangeSet::~ChangeSet() = default;

ChangeSet SensorThingsService::BeginChanges() {
  auto context = std::make_unique<WriteContext>(*impl_->store, impl_->feature_hints.Generation());
  context->reserve_observation_ids = true;
  return ChangeSet(std::move(context));
}

Status SensorThingsService::Commit(ChangeSet& changes, const std::string& base) {
  if (!changes.context_) return Internal("the change set was committed already");
  std::unique_ptr<WriteContext> c = std::move(changes.context_);
  auto results = impl_->Commit(*c, base);
  if (!results.ok()) return results.status();
  for (const auto& [target, patch, rendered] : c->updates) impl_->NotifyUpdate(target, patch, rendered);
  return Status::Ok();
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

void SensorThingsService::SetCreatedListener(CreatedListener listener) {
  impl_->listener = std::move(listener);
}

void SensorThingsService::ForgetHints() { impl_->feature_hints.Clear(); }

void SensorThingsService::Impl::NotifyUnderOwners(const Ref& ref, const json::object& rendered) {
  for (const NavigationDef& nav : Definition(ref.type).navigations) {
    // An entity's Observations are not listed (a Datastream may have millions): topics on
    // paths through them are checked against each change instead (NeedsMembershipCheck).
    if (nav.target == EntityType::kObservation) continue;
    const NavigationDef* back = Definition(nav.target).Navigation(nav.inverse);
    if (!back) continue;
    auto owners = store->Linked(ref.type, ref.id, nav.name);
    if (!owners.ok()) continue;
    const EntityDef& owner = Definition(nav.target);
    size_t sent = 0;
    for (int64_t id : *owners) {
      if (++sent > kMaxNavigationNotices) break;
      listener(std::string(owner.set_name) + "(" + std::to_string(id) + ")/" + std::string(back->name), rendered);
    }
  }
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
  // As FROST-Server does, the entity set's topics hear of changes too, not only of new ones.
  listener(std::string(def.set_name), rendered);
  NotifyUnderOwners(target, rendered);
}

void SensorThingsService::Impl::Notify(const WriteBatch& batch, const std::vector<OpResult>& results,
                                       const std::string& base) {
  std::vector<CommittedReading> readings;
  for (size_t i = 0; i < batch.size(); ++i) {
    const WriteOp& op = batch.ops()[i];
    const OpResult& result = results[i];
    switch (op.kind) {
      case WriteOp::Kind::kInsert:
        NotifyCreated({op.type, op.id}, std::nullopt, base);
        break;
      case WriteOp::Kind::kInsertUnlessLinked:
        if (result.created) NotifyCreated({op.type, result.id}, std::nullopt, base);
        break;
      case WriteOp::Kind::kObservation: {
        if (result.observations.empty() || !result.observations.front().created) break;
        NotifyCreated({EntityType::kObservation, result.observations.front().id}, op.doc, base);
        const json::value* value = op.doc.if_contains("result");
        const json::value* time = op.doc.if_contains("phenomenonTime");
        if (op.to_type != EntityType::kDatastream || !value || !value->is_number() || !time ||
            !time->is_string()) {
          break;
        }
        std::string_view text = time->as_string();
        text = text.substr(0, text.find('/'));  // an interval counts by its start
        if (auto ms = ParseRfc3339Ms(text)) readings.push_back({*op.to_id, *ms, value->to_number<double>()});
        break;
      }
      case WriteOp::Kind::kMeasurements: {
        std::optional<size_t> newest;
        for (size_t k = 0; k < op.rows.size() && k < result.observations.size(); ++k) {
          if (!result.observations[k].created) continue;
          if (!newest || op.rows[k].time_ms > op.rows[*newest].time_ms) newest = k;
          if (readings_listener) readings.push_back({*op.to_id, op.rows[k].time_ms, op.rows[k].result});
          if (listener && !notify_latest_of_bulk) {  // a document per row only for a listener
            NotifyCreated({EntityType::kObservation, result.observations[k].id}, MeasurementDoc(op.rows[k]), base);
          }
        }
        if (listener && notify_latest_of_bulk && newest) {
          NotifyCreated({EntityType::kObservation, result.observations[*newest].id},
                        MeasurementDoc(op.rows[*newest]), base);
        }
        break;
      }
      default:
        break;
    }
  }
  if (readings_listener && !readings.empty()) readings_listener(readings);
}

void SensorThingsService::Impl::NotifyCreated(const Ref& ref, const std::optional<json::object>& doc,
                                              const std::string& base) {
  if (!listener) return;
  std::optional<StoredEntity> entity;
  if (doc) {
    entity = StoredEntity{ref.id, *doc};
  } else {
    auto stored = store->Get(ref.type, ref.id);
    if (!stored.ok() || !*stored) return;
    entity = std::move(*stored);
  }
  auto rendered = Render(ref.type, *entity, {}, base);
  if (!rendered.ok()) return;
  const EntityDef& def = Definition(ref.type);
  listener(std::string(def.set_name), *rendered);
  // Also under each entity it belongs to: Datastreams(3)/Observations, Things(1)/Datastreams,
  // Things(1)/Locations.
  NotifyUnderOwners(ref, *rendered);
}

}  // namespace datenwerk::sta
