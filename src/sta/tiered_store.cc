#include "sta/tiered_store.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/dates.h"
#include "core/thread_annotations.h"
#include "sta/document_store.h"
#include "store/change_feed.h"
#include "sta/entity_order.h"
#include "sta/series_changes.h"
#include "sta/stream_spans.h"
#include "sta/tiered_list.h"

namespace datenwerk::sta {

namespace json = boost::json;
using series::Point;

namespace {

constexpr int64_t kSecondMask = (int64_t{1} << kSeriesSecondBits) - 1;
// Internal links between a Datastream and the FeatureOfInterest of its series points.
constexpr std::string_view kSeriesFeature = "_SeriesFeature";

struct SeriesKey {
  int64_t datastream;
  int64_t second;
};

std::optional<SeriesKey> DecodeId(int64_t id) {
  const int64_t ds = id >> kSeriesSecondBits;
  if (id <= 0 || ds < 1 || ds > kMaxSeriesDatastream) return std::nullopt;
  return SeriesKey{ds, id & kSecondMask};
}

bool IsNull(const json::object& doc, std::string_view name) {
  const json::value* v = doc.if_contains(name);
  return !v || v->is_null();
}

// The point a plain numeric Observation becomes, or nullopt.
std::optional<Point> PlainPoint(const json::object& doc, int64_t datastream) {
  if (datastream < 1 || datastream > kMaxSeriesDatastream) return std::nullopt;
  for (std::string_view extra : {"resultTime", "resultQuality", "validTime", "parameters"}) {
    if (!IsNull(doc, extra)) return std::nullopt;
  }
  const json::value* time = doc.if_contains("phenomenonTime");
  const json::value* result = doc.if_contains("result");
  if (!time || !time->is_string() || !result || !result->is_number()) return std::nullopt;
  if (time->get_string().find('/') != json::string::npos) return std::nullopt;  // an interval
  auto ms = ParseRfc3339Ms(time->get_string());
  if (!ms || *ms < 0 || *ms / 1000 > kSecondMask) return std::nullopt;
  if (!result->is_double() && std::abs(result->to_number<double>()) > 9007199254740992.0) {
    return std::nullopt;  // an integer a double cannot hold exactly
  }
  const double value = result->to_number<double>();
  if (!std::isfinite(value)) return std::nullopt;
  return Point{*ms, value};
}


class TieredEntityStore final : public EntityStore {
 public:
  TieredEntityStore(std::unique_ptr<DocumentStore> docs, series::ObservationStore& series)
      : docs_(std::move(docs)), series_(series) {}

  Status LoadMovedIds() {
    // Observations moved to the documents keep their series-range ids; they are few.
    ListRequest r{EntityType::kObservation};
    r.order = {{{"id"}, true}};
    r.top = 1000;
    MutexLock lock(mu_);
    for (;; r.skip += r.top) {
      auto page = docs_->List(r);
      if (!page.ok()) return page.status();
      for (const StoredEntity& e : page->entities) {
        if (!DecodeId(e.id)) return Status::Ok();
        documented_.insert(e.id);
      }
      if (static_cast<int64_t>(page->entities.size()) < r.top) return Status::Ok();
    }
  }

  Result<int64_t> ReserveId(EntityType type) override { return docs_->ReserveId(type); }

  // The batch's documents, series points and spans commit in one transaction of the one
  // database; the series' in-memory values follow after the commit. Batches are grouped by the
  // database (sql::Connection::Write): each runs in its own savepoint of the group's transaction.
  Result<std::vector<OpResult>> Apply(const WriteBatch& batch) override {
    std::vector<OpResult> results;
    series::SeriesEffects effects;
    std::vector<int64_t> documented;  // ids this batch moved to the documents
    Status s;
    try {
      s = docs_->database().Write(
          [&](sql::Tx& tx) -> Status {
            Applying a{tx};
            results.assign(batch.size(), OpResult{});
            Status w;
            for (size_t i = 0; i < batch.size() && w.ok(); ++i) w = ApplyOp(a, batch.ops()[i], results[i]);
            if (w.ok()) w = a.spans.Flush(tx, *docs_);
            if (w.ok()) w = a.changes.ApplyIn(series_, tx, effects);
            if (w.ok() && !batch.OnlyObservations()) w = sql::Announce(tx, kSensorThingsTopic);
            documented = std::move(a.documented);
            MutexLock lock(mu_);
            if (w.ok()) {
              NotePending(effects, true);
            } else {
              Forget(documented);  // its savepoint was rolled back
            }
            return w;
          },
          [&](const Status& outcome) {
            MutexLock lock(mu_);
            if (outcome.ok()) {
              series_.Committed(effects);
            } else {
              Forget(documented);  // the group's commit failed
            }
            NotePending(effects, false);
          });
    } catch (const std::exception& e) {
      // Rolled back already: nothing half-written; the fault becomes an answer.
      return Internal(std::string("write failed: ") + e.what());
    }
    if (!s.ok()) return s;
    return results;
  }

  Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) override {
    auto key = SeriesIdOf(type, id);
    if (!key) {
      auto found = docs_->Get(nullptr, type, id);
      if (found.ok() && *found && type == EntityType::kDatastream) lists_.AddSeriesSpan(**found);
      return found;
    }
    auto point = CommittedPoint(key->datastream, key->second);
    if (!point.ok()) return point.status();
    if (!*point) return std::optional<StoredEntity>();
    return std::optional<StoredEntity>(StoredEntity{id, SeriesDoc(**point)});
  }

  Result<std::vector<int64_t>> Linked(EntityType from, int64_t id, std::string_view nav) override {
    auto key = SeriesIdOf(from, id);
    if (!key) return docs_->Linked(nullptr, from, id, nav);
    if (nav == "Datastream") return std::vector<int64_t>{key->datastream};
    if (nav != "FeatureOfInterest") return std::vector<int64_t>{};
    auto feature = CommittedFeature(key->datastream);
    if (!feature.ok()) return feature.status();
    return *feature ? std::vector<int64_t>{*feature} : std::vector<int64_t>{};
  }

  Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                        int64_t to_id) override {
    if (auto key = SeriesIdOf(from, from_id)) {
      auto linked = Linked(from, from_id, nav);
      if (!linked.ok()) return linked.status();
      return std::find(linked->begin(), linked->end(), to_id) != linked->end();
    }
    const bool owner = from == EntityType::kDatastream || from == EntityType::kFeatureOfInterest;
    auto key = SeriesIdOf(EntityType::kObservation, to_id);
    if (!owner || nav != "Observations" || !key) return docs_->IsLinked(nullptr, from, from_id, nav, to_id);
    auto point = CommittedPoint(key->datastream, key->second);
    if (!point.ok()) return point.status();
    if (!*point) return false;
    if (from == EntityType::kDatastream) return key->datastream == from_id;
    auto feature = CommittedFeature(key->datastream);
    if (!feature.ok()) return feature.status();
    return *feature == from_id;
  }

  Result<ListResult> List(const ListRequest& r) override { return lists_.List(r); }

 private:
  // The state of one batch being applied, in its transaction.
  struct Applying {
    sql::Tx& tx;
    SeriesChanges changes{};
    StreamSpans spans{};
    std::vector<int64_t> documented{};  // series-range ids moved to the documents
    std::map<std::pair<EntityType, int64_t>, int64_t> alias{};  // see kInsertUnlessLinked
    // Entities a kRequire found, so a request looks each up once (the FeatureOfInterest that the
    // Datastreams of one Thing share is required for each of them); forgotten at any op that may
    // remove.
    std::set<std::pair<EntityType, int64_t>> present{};
  };

  int64_t Aliased(const Applying& a, EntityType type, int64_t id) const {
    auto it = a.alias.find({type, id});
    return it == a.alias.end() ? id : it->second;
  }

  Status ApplyOp(Applying& a, const WriteOp& op, OpResult& result) {
    using Kind = WriteOp::Kind;
    const int64_t id = Aliased(a, op.type, op.id);
    const int64_t to = op.to_id ? Aliased(a, op.to_type, *op.to_id) : 0;
    switch (op.kind) {
      case Kind::kStatement: {
        a.present.clear();  // it may delete
        auto changed = a.tx.Change(op.statement.text, op.statement.params);
        if (!changed.ok()) return changed.status();
        if (*changed == 0) return Status(ErrorCode::kConflict, "stored before", op.where);
        return Status::Ok();
      }
      case Kind::kRequire: {
        if (a.present.contains({op.type, id})) return Status::Ok();
        Result<bool> found = false;
        if (SeriesIdOf(op.type, id)) {
          auto entity = GetIn(a, op.type, id);
          found = entity.ok() ? Result<bool>(entity->has_value()) : Result<bool>(entity.status());
        } else {
          found = docs_->Exists(&a.tx, op.type, id);  // without parsing its document
        }
        if (!found.ok()) return found.status();
        if (*found) {
          a.present.insert({op.type, id});
          return Status::Ok();
        }
        return InvalidArgument(std::string(Definition(op.type).singular) + " " + std::to_string(id) + " does not exist",
                               op.where);
      }
      case Kind::kInsert:
        return docs_->Insert(a.tx, op.type, id, op.doc);
      case Kind::kInsertUnlessLinked: {
        const int64_t owner = Aliased(a, op.owner_type, op.owner_id);
        auto linked = docs_->Linked(&a.tx, op.owner_type, owner, op.nav);
        if (!linked.ok()) return linked.status();
        if (!linked->empty()) {
          a.alias[{op.type, op.id}] = linked->front();
          result.id = linked->front();
          return Status::Ok();
        }
        if (Status s = docs_->Insert(a.tx, op.type, id, op.doc); !s.ok()) return s;
        result.id = id;
        result.created = true;
        return docs_->Link(a.tx, op.owner_type, owner, op.nav, op.type, id);
      }
      case Kind::kReplace:
        return Replace(a, op.type, id, op.doc);
      case Kind::kRemove:
        a.present.clear();
        return Remove(a, op.type, id);
      case Kind::kLink:
        if (Status s = MoveIfSeries(a, op.type, id); !s.ok()) return s;
        if (Status s = MoveIfSeries(a, op.to_type, to); !s.ok()) return s;
        return docs_->Link(a.tx, op.type, id, op.nav, op.to_type, to);
      case Kind::kUnlink: {
        if (Status s = MoveIfSeries(a, op.type, id); !s.ok()) return s;
        std::optional<int64_t> target;
        if (op.to_id) target = to;
        if (target && op.nav == "Observations") {
          if (Status s = MoveIfSeries(a, EntityType::kObservation, *target); !s.ok()) return s;
        }
        return docs_->Unlink(a.tx, op.type, id, op.nav, target);
      }
      case Kind::kObservation: {
        const int64_t feature = Aliased(a, EntityType::kFeatureOfInterest, op.feature);
        auto inserted = InsertObservation(a, op.doc, op.to_type, to, feature, op.id);
        if (!inserted.ok()) return inserted.status();
        result.observations.push_back(*inserted);
        return Status::Ok();
      }
      case Kind::kMeasurements: {
        const int64_t feature = Aliased(a, EntityType::kFeatureOfInterest, op.feature);
        auto inserted = InsertMeasurements(a, to, feature, op.rows);
        if (!inserted.ok()) return inserted.status();
        result.observations = std::move(inserted).value();
        return Status::Ok();
      }
      case Kind::kRemoveObservations: {
        a.present.clear();
        auto removed = RemoveObservations(a, to, op.from_ms, op.to_ms);
        if (!removed.ok()) return removed.status();
        result.removed = *removed;
        return Status::Ok();
      }
    }
    return Internal("unknown write op");
  }

  Result<std::optional<StoredEntity>> GetIn(Applying& a, EntityType type, int64_t id) {
    auto key = SeriesIdOf(type, id);
    if (!key) return docs_->Get(&a.tx, type, id);
    auto point = SeriesPoint(a, key->datastream, key->second);
    if (!point.ok()) return point.status();
    if (!*point) return std::optional<StoredEntity>();
    return std::optional<StoredEntity>(StoredEntity{id, SeriesDoc(**point)});
  }

  // An Observation of a Datastream (a series point if it can be one) or of a MultiDatastream.
  // With `reserved` other than 0, a document under that id.
  Result<InsertedObservation> InsertObservation(Applying& a, const json::object& doc, EntityType stream,
                                                int64_t stream_id, int64_t feature, int64_t reserved = 0) {
    if (stream == EntityType::kDatastream && reserved == 0) {
      if (auto point = PlainPoint(doc, stream_id)) {
        auto inserted = InsertPoint(a, stream_id, feature, *point);
        if (!inserted.ok()) return inserted.status();
        if (*inserted) return **inserted;
      }
    }
    auto id = reserved ? Result<int64_t>(reserved) : docs_->NextId(a.tx, EntityType::kObservation);
    if (!id.ok()) return id.status();
    if (Status s = docs_->Insert(a.tx, EntityType::kObservation, *id, doc); !s.ok()) return s;
    const std::string_view to_stream = stream == EntityType::kDatastream ? "Datastream" : "MultiDatastream";
    const std::tuple<EntityType, int64_t, std::string_view> owners[] = {
        {stream, stream_id, to_stream}, {EntityType::kFeatureOfInterest, feature, "FeatureOfInterest"}};
    for (const auto& [type, owner, nav] : owners) {
      if (Status s = docs_->Link(a.tx, EntityType::kObservation, *id, nav, type, owner); !s.ok()) return s;
      if (Status s = docs_->Link(a.tx, type, owner, "Observations", EntityType::kObservation, *id); !s.ok()) return s;
    }
    a.spans.Widen(stream, stream_id, doc);
    return InsertedObservation{*id, true, false};
  }

  Result<std::vector<InsertedObservation>> InsertMeasurements(Applying& a, int64_t ds, int64_t feature,
                                                              const std::vector<Measurement>& rows) {
    std::vector<InsertedObservation> out;
    out.reserve(rows.size());
    auto stored = StoredInSpan(a, ds, rows);
    if (!stored.ok()) return stored.status();
    for (const Measurement& m : rows) {
      auto inserted = InsertPoint(a, ds, feature, {m.time_ms, m.result}, stored->get());
      if (!inserted.ok()) return inserted.status();
      if (*inserted) {
        out.push_back(**inserted);
        continue;
      }
      auto document = InsertObservation(a, MeasurementDoc(m), EntityType::kDatastream, ds, feature);
      if (!document.ok()) return document.status();
      out.push_back(*document);
    }
    return out;
  }

  Status Replace(Applying& a, EntityType type, int64_t id, const json::object& doc) {
    auto key = SeriesIdOf(type, id);
    if (!key) return docs_->Replace(a.tx, type, id, doc);
    auto current = SeriesPoint(a, key->datastream, key->second);
    if (!current.ok()) return current.status();
    if (!*current) return NotFound("the Observation does not exist", "id");
    auto plain = PlainPoint(doc, key->datastream);
    if (plain && plain->time_ms == (*current)->time_ms) {  // a corrected result: stays a point
      if (Point* p = a.changes.FindNew(key->datastream, key->second)) {
        p->value = plain->value;
      } else {
        a.changes.RemovePoint(key->datastream, plain->time_ms);
        a.changes.AddNew(key->datastream, *plain);
      }
      return Status::Ok();
    }
    if (auto s = MoveToDocuments(a, id, *key, **current); !s.ok()) return s;
    return docs_->Replace(a.tx, type, id, doc);
  }

  Status Remove(Applying& a, EntityType type, int64_t id) {
    if (auto key = SeriesIdOf(type, id)) {
      auto current = SeriesPoint(a, key->datastream, key->second);
      if (!current.ok()) return current.status();
      if (*current) {
        a.changes.EraseNew(key->datastream, key->second);
        a.changes.RemovePoint(key->datastream, (*current)->time_ms);
      }
      return Status::Ok();
    }
    if (type == EntityType::kObservation) {  // its (Multi)Datastream's span may shrink
      for (auto [stream, nav] : {std::pair{EntityType::kDatastream, "Datastream"},
                                 std::pair{EntityType::kMultiDatastream, "MultiDatastream"}}) {
        auto owners = docs_->Linked(&a.tx, type, id, nav);
        if (!owners.ok()) return owners.status();
        for (int64_t owner : *owners) a.spans.Shrunk(stream, owner);
      }
    }
    if (type == EntityType::kDatastream) DropSeries(a, id);
    if (type == EntityType::kFeatureOfInterest) {
      auto streams = docs_->Linked(&a.tx, type, id, kSeriesDatastreams);
      if (!streams.ok()) return streams.status();
      for (int64_t ds : *streams) DropSeries(a, ds);
    }
    return docs_->Remove(a.tx, type, id);
  }

  Result<int64_t> RemoveObservations(Applying& a, int64_t ds, int64_t from_ms, int64_t to_ms) {
    auto ids = docs_->Linked(&a.tx, EntityType::kDatastream, ds, "Observations");
    if (!ids.ok()) return ids.status();
    int64_t removed = 0;
    for (int64_t id : *ids) {
      auto observation = docs_->Get(&a.tx, EntityType::kObservation, id);
      if (!observation.ok()) return observation.status();
      const json::value* time = *observation ? (*observation)->doc.if_contains("phenomenonTime") : nullptr;
      if (!time || !time->is_string()) continue;
      const std::string_view text = time->get_string();
      auto ms = ParseRfc3339Ms(text.substr(0, text.find('/')));
      if (!ms || *ms < from_ms || *ms >= to_ms) continue;
      if (auto s = docs_->Remove(a.tx, EntityType::kObservation, id); !s.ok()) return s;
      ++removed;
    }
    a.spans.Shrunk(EntityType::kDatastream, ds);
    if (from_ms >= to_ms) return removed;
    auto points = series_.CountRange(ds, from_ms, to_ms);
    if (!points.ok()) return points.status();
    const int64_t pending = a.changes.EraseNewRange(ds, from_ms, to_ms);
    if (*points > 0) a.changes.RemoveRange(ds, from_ms, to_ms);
    return removed + *points + pending;
  }

  // The stored points (by second) in the span of `rows`, read at once when a batch reaches back
  // into stored data (a repeated delivery, a re-import), which would otherwise read a chunk
  // per row; null when the batch is small, lies after everything stored, or the span is huge.
  using StoredSeconds = std::unordered_map<int64_t, Point>;
  Result<std::unique_ptr<StoredSeconds>> StoredInSpan(Applying& a, int64_t ds, const std::vector<Measurement>& rows) {
    constexpr size_t kMinRows = 64;
    constexpr size_t kMaxPoints = 2'000'000;
    if (rows.size() < kMinRows || ds < 1 || ds > kMaxSeriesDatastream) return std::unique_ptr<StoredSeconds>();
    int64_t from = rows.front().time_ms, to = rows.front().time_ms;
    for (const Measurement& m : rows) {
      from = std::min(from, m.time_ms);
      to = std::max(to, m.time_ms);
    }
    auto newest_or = NewestTime(a.tx, ds);
    if (!newest_or.ok()) return newest_or.status();
    const int64_t newest = *newest_or;
    if (newest < 0 || newest < from || from < 0) return std::unique_ptr<StoredSeconds>();
    auto points = series_.RangeIn(a.tx, ds, from / 1000 * 1000, (to / 1000 + 1) * 1000, kMaxPoints, false);
    if (!points.ok()) return points.status();
    if (points->size() >= kMaxPoints) return std::unique_ptr<StoredSeconds>();
    auto stored = std::make_unique<StoredSeconds>();
    stored->reserve(points->size());
    for (const Point& p : *points) stored->emplace(p.time_ms / 1000, p);
    return stored;
  }

  // Stores a plain point as a series point if it can be one; nullopt: it must be a document.
  Result<std::optional<InsertedObservation>> InsertPoint(Applying& a, int64_t ds, int64_t feature,
                                                         const Point& point,
                                                         const StoredSeconds* stored = nullptr) {
    using Answer = std::optional<InsertedObservation>;
    if (ds < 1 || ds > kMaxSeriesDatastream || point.time_ms < 0 ||
        point.time_ms / 1000 > kSecondMask || !std::isfinite(point.value)) {
      return Answer();
    }
    const int64_t id = SeriesObservationId(ds, point.time_ms);
    if (IsDocumented(id)) return Answer();
    auto series_feature = SeriesFeature(a, ds);
    if (!series_feature.ok()) return series_feature.status();
    if (*series_feature != 0 && *series_feature != feature) return Answer();
    auto same_second = stored ? SeriesPointIn(a, *stored, ds, id & kSecondMask)
                              : SeriesPoint(a, ds, id & kSecondMask);
    if (!same_second.ok()) return same_second.status();
    if (*same_second) {
      if ((*same_second)->time_ms != point.time_ms) return Answer();
      return Answer(InsertedObservation{id, false, true});  // stored already: the first wins
    }
    if (*series_feature == 0) {
      if (auto s = LinkSeriesFeature(a, ds, feature); !s.ok()) return s;
    }
    a.changes.AddNew(ds, point);
    return Answer(InsertedObservation{id, true, true});
  }

  std::optional<SeriesKey> SeriesIdOf(EntityType type, int64_t id) {
    if (type != EntityType::kObservation) return std::nullopt;
    auto key = DecodeId(id);
    if (!key || IsDocumented(id)) return std::nullopt;
    return key;
  }

  bool IsDocumented(int64_t id) {
    MutexLock lock(mu_);
    return documented_.contains(id);
  }

  // SeriesPoint with the stored points of the span read already.
  Result<std::optional<Point>> SeriesPointIn(Applying& a, const StoredSeconds& stored, int64_t ds, int64_t second) {
    if (const Point* p = a.changes.FindNew(ds, second)) return std::optional(*p);
    if (a.changes.Removes(ds, second)) return std::optional<Point>();
    auto it = stored.find(second);
    return it == stored.end() ? std::optional<Point>() : std::optional(it->second);
  }

  // The point of `ds` within `second` as the batch sees it (its own changes included).
  Result<std::optional<Point>> SeriesPoint(Applying& a, int64_t ds, int64_t second) {
    if (const Point* p = a.changes.FindNew(ds, second)) return std::optional(*p);
    if (a.changes.Removes(ds, second)) return std::optional<Point>();
    return PointAt(&a.tx, ds, second);
  }

  // The committed point of `ds` within `second`.
  Result<std::optional<Point>> CommittedPoint(int64_t ds, int64_t second) { return PointAt(nullptr, ds, second); }

  // The stored point of `ds` within `second`: in the batch's transaction `tx` (the newest time
  // counting points of earlier batches of its group), or committed without one.
  Result<std::optional<Point>> PointAt(sql::Tx* tx, int64_t ds, int64_t second) {
    int64_t newest = -1;
    if (tx) {
      auto in_tx = NewestTime(*tx, ds);
      if (!in_tx.ok()) return in_tx.status();
      newest = *in_tx;
    } else if (auto latest = series_.Latest(ds)) {
      newest = latest->time_ms;
    }
    if (newest < 0 || newest / 1000 < second) return std::optional<Point>();
    auto points = tx ? series_.RangeIn(*tx, ds, second * 1000, second * 1000 + 1000, 1, false)
                     : series_.Range(ds, second * 1000, second * 1000 + 1000, 1, false);
    if (!points.ok()) return points.status();
    if (points->empty()) return std::optional<Point>();
    return std::optional(points->front());
  }

  // The FeatureOfInterest of the series of `ds` as the batch sees it; 0 when it has none yet.
  // Only batches fill the cache: a reader could otherwise put back what a batch just changed.
  Result<int64_t> SeriesFeature(Applying& a, int64_t ds) {
    {
      MutexLock lock(mu_);
      if (auto it = features_.find(ds); it != features_.end()) return it->second;
    }
    auto linked = docs_->Linked(&a.tx, EntityType::kDatastream, ds, kSeriesFeature);
    if (!linked.ok()) return linked.status();
    const int64_t feature = linked->empty() ? 0 : linked->front();
    MutexLock lock(mu_);
    features_[ds] = feature;
    return feature;
  }

  Result<int64_t> CommittedFeature(int64_t ds) {
    {
      MutexLock lock(mu_);
      if (auto it = features_.find(ds); it != features_.end() && it->second != 0) return it->second;
    }
    auto linked = docs_->Linked(nullptr, EntityType::kDatastream, ds, kSeriesFeature);
    if (!linked.ok()) return linked.status();
    return linked->empty() ? 0 : linked->front();
  }

  Status LinkSeriesFeature(Applying& a, int64_t ds, int64_t feature) {
    if (auto s = docs_->Link(a.tx, EntityType::kDatastream, ds, kSeriesFeature, EntityType::kFeatureOfInterest, feature);
        !s.ok()) {
      return s;
    }
    {
      MutexLock lock(mu_);
      features_[ds] = feature;
    }
    return docs_->Link(a.tx, EntityType::kFeatureOfInterest, feature, kSeriesDatastreams, EntityType::kDatastream, ds);
  }

  void DropSeries(Applying& a, int64_t ds) {
    a.changes.DropSeries(ds);
    MutexLock lock(mu_);
    features_.erase(ds);
  }

  Status MoveIfSeries(Applying& a, EntityType type, int64_t id) {
    auto key = SeriesIdOf(type, id);
    if (!key) return Status::Ok();
    auto point = SeriesPoint(a, key->datastream, key->second);
    if (!point.ok()) return point.status();
    if (!*point) return Status::Ok();
    return MoveToDocuments(a, id, *key, **point);
  }

  // Keeps a series Observation as a document under the same id, linked as before.
  Status MoveToDocuments(Applying& a, int64_t id, const SeriesKey& key, const Point& point) {
    auto feature = SeriesFeature(a, key.datastream);
    if (!feature.ok()) return feature.status();
    if (auto s = docs_->Insert(a.tx, EntityType::kObservation, id, SeriesDoc(point)); !s.ok()) return s;
    a.changes.EraseNew(key.datastream, key.second);
    a.changes.RemovePoint(key.datastream, point.time_ms);
    {
      MutexLock lock(mu_);
      if (documented_.insert(id).second) a.documented.push_back(id);
    }
    const std::pair<EntityType, int64_t> owners[] = {
        {EntityType::kDatastream, key.datastream}, {EntityType::kFeatureOfInterest, *feature}};
    for (const auto& [type, owner] : owners) {
      if (owner == 0) continue;
      const std::string_view nav = type == EntityType::kDatastream ? "Datastream" : "FeatureOfInterest";
      if (auto s = docs_->Link(a.tx, EntityType::kObservation, id, nav, type, owner); !s.ok()) return s;
      if (auto s = docs_->Link(a.tx, type, owner, "Observations", EntityType::kObservation, id); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // Undoes what a batch that did not commit noted in memory.
  void Forget(const std::vector<int64_t>& documented) REQUIRES(mu_) {
    for (int64_t id : documented) documented_.erase(id);
    features_.clear();  // it may hold series features whose links were undone
  }

  // The time of the newest point of `ds`, committed or written by an earlier batch of the running
  // group (not committed yet, so not in the series store's latest values); -1 for none. On
  // PostgreSQL other nodes write too, so the table in the transaction (which holds the write lock)
  // is the truth, not this node's memory.
  Result<int64_t> NewestTime(sql::Tx& tx, int64_t ds) {
    if (std::string_view(tx.Dialect()) == "postgresql") {
      auto stored = series_.LatestIn(tx, ds);
      if (!stored.ok()) return stored.status();
      return *stored ? (*stored)->time_ms : int64_t{-1};
    }
    auto latest = series_.Latest(ds);
    int64_t newest = latest ? latest->time_ms : -1;
    MutexLock lock(mu_);
    if (auto it = pending_newest_.find(ds); it != pending_newest_.end()) newest = std::max(newest, it->second);
    return newest;
  }

  // Notes (or, with `add` false, forgets) the newest points a batch appended, until its group
  // has committed and the series store knows them.
  void NotePending(const series::SeriesEffects& effects, bool add) REQUIRES(mu_) {
    for (const series::SeriesEffect& e : effects) {
      if (e.kind != series::SeriesEffect::Kind::kWiden || !e.latest) continue;
      auto it = pending_newest_.find(e.datastream);
      if (add) {
        if (it == pending_newest_.end() || it->second < e.latest->time_ms) pending_newest_[e.datastream] = e.latest->time_ms;
      } else if (it != pending_newest_.end() && it->second <= e.latest->time_ms) {
        pending_newest_.erase(it);
      }
    }
  }

  std::unique_ptr<DocumentStore> docs_;
  series::ObservationStore& series_;
  TieredLists lists_{*docs_, series_};  // after the two it reads
  // Shared by the batch being applied (one at a time: the database runs one write work at once)
  // and readers; held only briefly.
  Mutex mu_;
  std::set<int64_t> documented_ GUARDED_BY(mu_);  // series-range ids of Observations kept as documents
  std::unordered_map<int64_t, int64_t> features_ GUARDED_BY(mu_);  // datastream -> series FeatureOfInterest
  std::unordered_map<int64_t, int64_t> pending_newest_ GUARDED_BY(mu_);  // datastream -> time; see NotePending
};

}  // namespace

Result<std::unique_ptr<EntityStore>> MakeTieredEntityStore(series::ObservationStore& series) {
  auto documents = DocumentStore::Open(series.database());
  if (!documents.ok()) return documents.status();
  auto store = std::make_unique<TieredEntityStore>(std::move(documents).value(), series);
  if (auto s = store->LoadMovedIds(); !s.ok()) return s;
  return std::unique_ptr<EntityStore>(std::move(store));
}

}  // namespace datenwerk::sta
