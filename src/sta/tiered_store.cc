#include "sta/tiered_store.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>
#include <unordered_map>

#include "core/dates.h"
#include "sta/document_store.h"
#include "sta/entity_order.h"
#include "sta/series_changes.h"
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

  // The documents and the series points of one write commit in one transaction of the one
  // database; the series' in-memory values follow after the commit. Writes are grouped by the
  // database (sql::Connection::Write): the work may run on the thread of another write of the
  // group, so the state of a running work is tied to the thread that runs it (executing_), and
  // this store's lock is taken there, not while waiting for the group.
  Status Write(const std::function<Status()>& work) override {
    if (Executing()) return work();  // called again from inside a running work: it joins
    series::SeriesEffects effects;
    std::vector<int64_t> documented;  // ids this write moved to the documents
    Status s;
    try {
      s = docs_->WriteThen(
          [&]() -> Status {
            std::lock_guard lock(mu_);
            struct Scope {  // whatever the way out: the next work starts afresh
              TieredEntityStore* self;
              std::vector<int64_t>& documented;
              bool ok = false;
              explicit Scope(TieredEntityStore* s, std::vector<int64_t>& d) : self(s), documented(d) {
                self->executing_ = std::this_thread::get_id();
              }
              ~Scope() {
                documented = std::move(self->documented_now_);
                self->documented_now_.clear();
                self->changes_.Clear();
                self->executing_ = std::thread::id();
                if (!ok) self->Forget(documented);  // its savepoint was rolled back
              }
            } scope(this, documented);
            Status w = work();
            if (w.ok()) w = changes_.ApplyIn(series_, *docs_->CurrentTx(), effects);
            scope.ok = w.ok();
            if (w.ok()) NotePending(effects, true);
            return w;
          },
          [&](const Status& outcome) {
            std::lock_guard lock(mu_);
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
    return s;
  }

  Result<int64_t> Insert(EntityType type, const json::object& doc) override {
    if (!Executing()) return InWrite([&] { return Insert(type, doc); });
    std::lock_guard lock(mu_);
    return docs_->Insert(type, doc);
  }

  Status InsertWithId(EntityType type, int64_t id, const json::object& doc) override {
    if (!Executing()) return Write([&] { return InsertWithId(type, id, doc); });
    std::lock_guard lock(mu_);
    if (type == EntityType::kObservation && DecodeId(id)) {
      auto existing = Get(type, id);
      if (!existing.ok()) return existing.status();
      if (*existing) return Status(ErrorCode::kConflict, "the id is taken", "id");
      NoteDocumented(id);
    }
    return docs_->InsertWithId(type, id, doc);
  }

  Result<InsertedObservation> InsertObservation(const json::object& doc, int64_t ds,
                                                int64_t feature) override {
    if (!Executing()) return InWrite([&] { return InsertObservation(doc, ds, feature); });
    std::lock_guard lock(mu_);
    if (auto point = PlainPoint(doc, ds)) {
      auto inserted = InsertPoint(ds, feature, *point);
      if (!inserted.ok()) return inserted.status();
      if (*inserted) return **inserted;
    }
    return docs_->InsertObservation(doc, ds, feature);
  }

  Result<std::vector<InsertedObservation>> InsertMeasurements(
      int64_t ds, int64_t feature, const std::vector<Measurement>& rows) override {
    if (!Executing()) return InWrite([&] { return InsertMeasurements(ds, feature, rows); });
    std::lock_guard lock(mu_);
    std::vector<InsertedObservation> out;
    out.reserve(rows.size());
    auto stored = StoredInSpan(ds, rows);
    if (!stored.ok()) return stored.status();
    for (const Measurement& m : rows) {
      auto inserted = InsertPoint(ds, feature, {m.time_ms, m.result}, stored->get());
      if (!inserted.ok()) return inserted.status();
      if (*inserted) {
        out.push_back(**inserted);
        continue;
      }
      auto document = docs_->InsertObservation(MeasurementDoc(m), ds, feature);
      if (!document.ok()) return document.status();
      out.push_back(*document);
    }
    return out;
  }

  Status Replace(EntityType type, int64_t id, const json::object& doc) override {
    if (!Executing()) return Write([&] { return Replace(type, id, doc); });
    std::lock_guard lock(mu_);
    auto key = SeriesIdOf(type, id);
    if (!key) return docs_->Replace(type, id, doc);
    auto current = SeriesPoint(key->datastream, key->second);
    if (!current.ok()) return current.status();
    if (!*current) return NotFound("the Observation does not exist", "id");
    auto plain = PlainPoint(doc, key->datastream);
    if (plain && plain->time_ms == (*current)->time_ms) {  // a corrected result: stays a point
      if (Point* p = changes_.FindNew(key->datastream, key->second)) {
        p->value = plain->value;
      } else {
        changes_.RemovePoint(key->datastream, plain->time_ms);
        changes_.AddNew(key->datastream, *plain);
      }
      return Status::Ok();
    }
    if (auto s = MoveToDocuments(id, *key, **current); !s.ok()) return s;
    return docs_->Replace(type, id, doc);
  }

  Status Remove(EntityType type, int64_t id) override {
    if (!Executing()) return Write([&] { return Remove(type, id); });
    std::lock_guard lock(mu_);
    if (auto key = SeriesIdOf(type, id)) {
      auto current = SeriesPoint(key->datastream, key->second);
      if (!current.ok()) return current.status();
      if (*current) {
        changes_.EraseNew(key->datastream, key->second);
        changes_.RemovePoint(key->datastream, (*current)->time_ms);
      }
      return Status::Ok();
    }
    if (type == EntityType::kDatastream) DropSeries(id);
    if (type == EntityType::kFeatureOfInterest) {
      auto streams = docs_->Linked(type, id, kSeriesDatastreams);
      if (!streams.ok()) return streams.status();
      for (int64_t ds : *streams) DropSeries(ds);
    }
    return docs_->Remove(type, id);
  }

  Result<int64_t> RemoveObservations(int64_t ds, int64_t from_ms, int64_t to_ms) override {
    if (!Executing()) return InWrite([&] { return RemoveObservations(ds, from_ms, to_ms); });
    std::lock_guard lock(mu_);
    auto documents = docs_->RemoveObservations(ds, from_ms, to_ms);
    if (!documents.ok()) return documents;
    if (from_ms >= to_ms) return documents;
    auto points = series_.CountRange(ds, from_ms, to_ms);
    if (!points.ok()) return points.status();
    const int64_t pending = changes_.EraseNewRange(ds, from_ms, to_ms);
    if (*points > 0) changes_.RemoveRange(ds, from_ms, to_ms);
    return *documents + *points + pending;
  }

  Status Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to,
              int64_t to_id) override {
    if (!Executing()) return Write([&] { return Link(from, from_id, nav, to, to_id); });
    std::lock_guard lock(mu_);
    if (auto s = MoveIfSeries(from, from_id); !s.ok()) return s;
    if (auto s = MoveIfSeries(to, to_id); !s.ok()) return s;
    return docs_->Link(from, from_id, nav, to, to_id);
  }

  Status Unlink(EntityType from, int64_t from_id, std::string_view nav,
                std::optional<int64_t> to_id) override {
    if (!Executing()) return Write([&] { return Unlink(from, from_id, nav, to_id); });
    std::lock_guard lock(mu_);
    if (auto s = MoveIfSeries(from, from_id); !s.ok()) return s;
    if (to_id && nav == "Observations") {
      if (auto s = MoveIfSeries(EntityType::kObservation, *to_id); !s.ok()) return s;
    }
    return docs_->Unlink(from, from_id, nav, to_id);
  }

  Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) override {
    std::lock_guard lock(mu_);
    auto key = SeriesIdOf(type, id);
    if (!key) {
      auto found = docs_->Get(type, id);
      if (found.ok() && *found && type == EntityType::kDatastream) lists_.AddSeriesSpan(**found);
      return found;
    }
    auto point = SeriesPoint(key->datastream, key->second);
    if (!point.ok()) return point.status();
    if (!*point) return std::optional<StoredEntity>();
    return std::optional<StoredEntity>(StoredEntity{id, SeriesDoc(**point)});
  }

  Result<std::vector<int64_t>> Linked(EntityType from, int64_t id, std::string_view nav) override {
    std::lock_guard lock(mu_);
    auto key = SeriesIdOf(from, id);
    if (!key) return docs_->Linked(from, id, nav);
    if (nav == "Datastream") return std::vector<int64_t>{key->datastream};
    if (nav != "FeatureOfInterest") return std::vector<int64_t>{};
    auto feature = SeriesFeature(key->datastream);
    if (!feature.ok()) return feature.status();
    return *feature ? std::vector<int64_t>{*feature} : std::vector<int64_t>{};
  }

  Result<bool> IsLinked(EntityType from, int64_t from_id, std::string_view nav,
                        int64_t to_id) override {
    std::lock_guard lock(mu_);
    if (auto key = SeriesIdOf(from, from_id)) {
      auto linked = Linked(from, from_id, nav);
      if (!linked.ok()) return linked.status();
      return std::find(linked->begin(), linked->end(), to_id) != linked->end();
    }
    const bool owner = from == EntityType::kDatastream || from == EntityType::kFeatureOfInterest;
    auto key = SeriesIdOf(EntityType::kObservation, to_id);
    if (!owner || nav != "Observations" || !key) return docs_->IsLinked(from, from_id, nav, to_id);
    auto point = SeriesPoint(key->datastream, key->second);
    if (!point.ok()) return point.status();
    if (!*point) return false;
    if (from == EntityType::kDatastream) return key->datastream == from_id;
    auto feature = SeriesFeature(key->datastream);
    if (!feature.ok()) return feature.status();
    return *feature == from_id;
  }

  Result<ListResult> List(const ListRequest& r) override {
    std::lock_guard lock(mu_);
    return lists_.List(r);
  }

 private:

  // Stores a plain point as a series point if it can be one; nullopt: it must be a document.
  // The stored points (by second) in the span of `rows`, read at once when a batch reaches back
  // into stored data (a repeated delivery, a re-import), which would otherwise read a chunk
  // per row; null when the batch is small, lies after everything stored, or the span is huge.
  using StoredSeconds = std::unordered_map<int64_t, Point>;
  Result<std::unique_ptr<StoredSeconds>> StoredInSpan(int64_t ds, const std::vector<Measurement>& rows) {
    constexpr size_t kMinRows = 64;
    constexpr size_t kMaxPoints = 2'000'000;
    if (rows.size() < kMinRows || ds < 1 || ds > kMaxSeriesDatastream) return std::unique_ptr<StoredSeconds>();
    int64_t from = rows.front().time_ms, to = rows.front().time_ms;
    for (const Measurement& m : rows) {
      from = std::min(from, m.time_ms);
      to = std::max(to, m.time_ms);
    }
    const int64_t newest = NewestTime(ds);
    if (newest < 0 || newest < from || from < 0) return std::unique_ptr<StoredSeconds>();
    auto points = SeriesRange(ds, from / 1000 * 1000, (to / 1000 + 1) * 1000, kMaxPoints, false);
    if (!points.ok()) return points.status();
    if (points->size() >= kMaxPoints) return std::unique_ptr<StoredSeconds>();
    auto stored = std::make_unique<StoredSeconds>();
    stored->reserve(points->size());
    for (const Point& p : *points) stored->emplace(p.time_ms / 1000, p);
    return stored;
  }

  Result<std::optional<InsertedObservation>> InsertPoint(int64_t ds, int64_t feature,
                                                         const Point& point,
                                                         const StoredSeconds* stored = nullptr) {
    using Answer = std::optional<InsertedObservation>;
    if (ds < 1 || ds > kMaxSeriesDatastream || point.time_ms < 0 ||
        point.time_ms / 1000 > kSecondMask || !std::isfinite(point.value)) {
      return Answer();
    }
    const int64_t id = SeriesObservationId(ds, point.time_ms);
    if (documented_.contains(id)) return Answer();
    auto series_feature = SeriesFeature(ds);
    if (!series_feature.ok()) return series_feature.status();
    if (*series_feature != 0 && *series_feature != feature) return Answer();
    auto same_second = stored ? SeriesPointIn(*stored, ds, id & kSecondMask)
                              : SeriesPoint(ds, id & kSecondMask);
    if (!same_second.ok()) return same_second.status();
    if (*same_second) {
      if ((*same_second)->time_ms != point.time_ms) return Answer();
      return Answer(InsertedObservation{id, false, true});  // stored already: the first wins
    }
    if (*series_feature == 0) {
      if (auto s = LinkSeriesFeature(ds, feature); !s.ok()) return s;
    }
    changes_.AddNew(ds, point);
    return Answer(InsertedObservation{id, true, true});
  }

  template <typename F>
  auto InWrite(F&& f) -> decltype(f()) {
    std::optional<decltype(f())> out;
    Status s = Write([&]() -> Status {
      out.emplace(f());
      return out->status();
    });
    if (!s.ok()) return s;
    return std::move(*out);
  }

  std::optional<SeriesKey> SeriesIdOf(EntityType type, int64_t id) const {
    if (type != EntityType::kObservation || documented_.contains(id)) return std::nullopt;
    return DecodeId(id);
  }

  // The point of `ds` within `second`, pending ones included.
  // SeriesPoint with the stored points of the span read already.
  Result<std::optional<Point>> SeriesPointIn(const StoredSeconds& stored, int64_t ds, int64_t second) {
    if (const Point* p = changes_.FindNew(ds, second)) return std::optional(*p);
    if (changes_.Removes(ds, second)) return std::optional<Point>();
    auto it = stored.find(second);
    return it == stored.end() ? std::optional<Point>() : std::optional(it->second);
  }

  Result<std::optional<Point>> SeriesPoint(int64_t ds, int64_t second) {
    if (const Point* p = changes_.FindNew(ds, second)) return std::optional(*p);
    if (changes_.Removes(ds, second)) return std::optional<Point>();
    const int64_t newest = NewestTime(ds);
    if (newest < 0 || newest / 1000 < second) return std::optional<Point>();
    auto points = SeriesRange(ds, second * 1000, second * 1000 + 1000, 1, false);
    if (!points.ok()) return points.status();
    if (points->empty()) return std::optional<Point>();
    return std::optional(points->front());
  }

  // The FeatureOfInterest of the series of `ds`; 0 when it has none yet.
  Result<int64_t> SeriesFeature(int64_t ds) {
    if (auto it = features_.find(ds); it != features_.end()) return it->second;
    auto linked = docs_->Linked(EntityType::kDatastream, ds, kSeriesFeature);
    if (!linked.ok()) return linked.status();
    const int64_t feature = linked->empty() ? 0 : linked->front();
    features_[ds] = feature;
    return feature;
  }

  Status LinkSeriesFeature(int64_t ds, int64_t feature) {
    if (auto s = docs_->Link(EntityType::kDatastream, ds, kSeriesFeature,
                             EntityType::kFeatureOfInterest, feature);
        !s.ok()) {
      return s;
    }
    features_[ds] = feature;
    return docs_->Link(EntityType::kFeatureOfInterest, feature, kSeriesDatastreams,
                       EntityType::kDatastream, ds);
  }

  void DropSeries(int64_t ds) {
    changes_.DropSeries(ds);
    features_.erase(ds);
  }

  void NoteDocumented(int64_t id) {
    if (documented_.insert(id).second) documented_now_.push_back(id);
  }

  Status MoveIfSeries(EntityType type, int64_t id) {
    auto key = SeriesIdOf(type, id);
    if (!key) return Status::Ok();
    auto point = SeriesPoint(key->datastream, key->second);
    if (!point.ok()) return point.status();
    if (!*point) return Status::Ok();
    return MoveToDocuments(id, *key, **point);
  }

  // Keeps a series Observation as a document under the same id, linked as before.
  Status MoveToDocuments(int64_t id, const SeriesKey& key, const Point& point) {
    auto feature = SeriesFeature(key.datastream);
    if (!feature.ok()) return feature.status();
    if (auto s = docs_->InsertWithId(EntityType::kObservation, id, SeriesDoc(point)); !s.ok()) {
      return s;
    }
    changes_.EraseNew(key.datastream, key.second);
    changes_.RemovePoint(key.datastream, point.time_ms);
    NoteDocumented(id);
    const std::pair<EntityType, int64_t> owners[] = {
        {EntityType::kDatastream, key.datastream}, {EntityType::kFeatureOfInterest, *feature}};
    for (const auto& [type, owner] : owners) {
      if (owner == 0) continue;
      const std::string_view nav =
          type == EntityType::kDatastream ? "Datastream" : "FeatureOfInterest";
      if (auto s = docs_->Link(EntityType::kObservation, id, nav, type, owner); !s.ok()) return s;
      if (auto s = docs_->Link(type, owner, "Observations", EntityType::kObservation, id);
          !s.ok()) {
        return s;
      }
    }
    return Status::Ok();
  }

  // Undoes what a work that did not commit noted in memory.
  void Forget(const std::vector<int64_t>& documented) {
    for (int64_t id : documented) documented_.erase(id);
    features_.clear();  // it may hold series features whose links were undone
  }

  // Series points as the running work's transaction sees them (its writer connection, warm and
  // without a read transaction of its own), or as committed outside a work.
  Result<std::vector<Point>> SeriesRange(int64_t ds, int64_t from, int64_t to, size_t limit, bool newest_first) {
    if (sql::Tx* tx = Executing() ? docs_->CurrentTx() : nullptr) return series_.RangeIn(*tx, ds, from, to, limit, newest_first);
    return series_.Range(ds, from, to, limit, newest_first);
  }

  // The time of the newest point of `ds`, committed or written by an earlier work of the running
  // group (not committed yet, so not in the series store's latest values); -1 for none.
  int64_t NewestTime(int64_t ds) const {
    auto latest = series_.Latest(ds);
    int64_t newest = latest ? latest->time_ms : -1;
    if (auto it = pending_newest_.find(ds); it != pending_newest_.end()) newest = std::max(newest, it->second);
    return newest;
  }

  // Notes (or, with `add` false, forgets) the newest points a work appended, until its group
  // has committed and the series store knows them.
  void NotePending(const series::SeriesEffects& effects, bool add) {
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

  // Whether this thread runs a write's work.
  bool Executing() const { return executing_.load() == std::this_thread::get_id(); }

  std::recursive_mutex mu_;
  std::unique_ptr<DocumentStore> docs_;
  series::ObservationStore& series_;
  TieredLists lists_{*docs_, series_};  // after the two it reads
  std::set<int64_t> documented_;  // series-range ids of Observations kept as documents
  std::unordered_map<int64_t, int64_t> features_;  // datastream -> series FeatureOfInterest
  // The running work's: the thread running it, the ids it moved to the documents, its series
  // changes (guarded by mu_, which the work holds).
  std::atomic<std::thread::id> executing_;
  std::unordered_map<int64_t, int64_t> pending_newest_;  // datastream -> time; see NotePending
  std::vector<int64_t> documented_now_;
  SeriesChanges changes_;
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
