#include "sta/staged_write.h"

#include <algorithm>

namespace datenwerk::sta {

namespace json = boost::json;

EntityType NavigationTarget(EntityType from, std::string_view nav) {
  if (const NavigationDef* def = Definition(from).Navigation(nav)) return def->target;
  return EntityType::kFeatureOfInterest;  // the internal links of Locations to their features
}

StagedWrite::LinkChanges& StagedWrite::Changes(EntityType from, int64_t id, std::string_view nav) {
  auto key = std::make_tuple(from, id, std::string(nav));
  return links_[key];
}

const StagedWrite::LinkChanges* StagedWrite::FindChanges(EntityType from, int64_t id,
                                                         std::string_view nav) const {
  auto it = links_.find(std::make_tuple(from, id, std::string(nav)));
  return it == links_.end() ? nullptr : &it->second;
}

Result<std::optional<StoredEntity>> StagedWrite::Get(EntityType type, int64_t id) {
  if (Gone(type, id)) return std::optional<StoredEntity>();
  if (auto it = docs_.find({type, id}); it != docs_.end()) {
    return std::optional<StoredEntity>(StoredEntity{id, it->second});
  }
  return store_.Get(type, id);
}

Result<std::vector<int64_t>> StagedWrite::Linked(EntityType from, int64_t id, std::string_view nav) {
  if (Gone(from, id)) return std::vector<int64_t>{};
  const LinkChanges* changes = FindChanges(from, id, nav);
  std::vector<int64_t> out;
  if (!inserted_.contains({from, id}) && !(changes && changes->cleared)) {
    auto stored = store_.Linked(from, id, nav);
    if (!stored.ok()) return stored.status();
    out = std::move(stored).value();
  }
  const EntityType target = NavigationTarget(from, nav);
  if (changes) {
    std::erase_if(out, [&](int64_t to) { return changes->removed.contains(to); });
    out.insert(out.end(), changes->added.begin(), changes->added.end());
  }
  std::erase_if(out, [&](int64_t to) { return Gone(target, to); });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<bool> StagedWrite::IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                                   int64_t to_id) {
  if (Gone(from, from_id) || Gone(NavigationTarget(from, nav), to_id)) return false;
  if (const LinkChanges* changes = FindChanges(from, from_id, nav)) {
    if (changes->added.contains(to_id)) return true;
    if (changes->cleared || changes->removed.contains(to_id)) return false;
  }
  if (inserted_.contains({from, from_id})) return false;
  return store_.IsLinked(from, from_id, nav, to_id);
}

Result<int64_t> StagedWrite::Insert(EntityType type, const json::object& doc) {
  auto id = store_.ReserveId(type);
  if (!id.ok()) return id.status();
  batch_.Insert(type, *id, doc);
  docs_[{type, *id}] = doc;
  inserted_.insert({type, *id});
  return *id;
}

Result<std::pair<int64_t, size_t>> StagedWrite::InsertUnlessLinked(EntityType owner_type,
                                                                   int64_t owner_id,
                                                                   std::string_view nav,
                                                                   EntityType type,
                                                                   const json::object& doc) {
  auto id = store_.ReserveId(type);
  if (!id.ok()) return id.status();
  const size_t op = batch_.InsertUnlessLinked(owner_type, owner_id, std::string(nav), type, *id, doc);
  docs_[{type, *id}] = doc;
  inserted_.insert({type, *id});
  Changes(owner_type, owner_id, nav).added.insert(*id);
  return std::make_pair(*id, op);
}

void StagedWrite::Replace(EntityType type, int64_t id, const json::object& doc) {
  batch_.Replace(type, id, doc);
  docs_[{type, id}] = doc;
}

void StagedWrite::Remove(EntityType type, int64_t id) {
  batch_.Remove(type, id);
  docs_.erase({type, id});
  removed_.insert({type, id});
}

void StagedWrite::Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to,
                       int64_t to_id) {
  batch_.Link(from, from_id, std::string(nav), to, to_id);
  LinkChanges& changes = Changes(from, from_id, nav);
  changes.removed.erase(to_id);
  changes.added.insert(to_id);
}

void StagedWrite::Unlink(EntityType from, int64_t from_id, std::string_view nav,
                         std::optional<int64_t> to_id) {
  batch_.Unlink(from, from_id, std::string(nav), to_id);
  LinkChanges& changes = Changes(from, from_id, nav);
  if (to_id) {
    changes.added.erase(*to_id);
    changes.removed.insert(*to_id);
  } else {
    changes.added.clear();
    changes.removed.clear();
    changes.cleared = true;
  }
}

size_t StagedWrite::Observation(const json::object& doc, EntityType stream, int64_t stream_id,
                               int64_t feature, std::optional<int64_t> id) {
  const size_t op = batch_.Observation(doc, stream, stream_id, feature, id.value_or(0));
  if (id) {
    docs_[{EntityType::kObservation, *id}] = doc;
    inserted_.insert({EntityType::kObservation, *id});
    Changes(EntityType::kObservation, *id,
            stream == EntityType::kDatastream ? "Datastream" : "MultiDatastream").added.insert(stream_id);
    Changes(EntityType::kObservation, *id, "FeatureOfInterest").added.insert(feature);
  }
  return op;
}

void StagedWrite::Require(EntityType type, int64_t id, std::string where) {
  if (inserted_.contains({type, id})) return;
  batch_.Require(type, id, std::move(where));
}

}  // namespace datenwerk::sta
