// Private to sta/service*.cc: the shared state and helpers of SensorThingsService.
#pragma once

#include <boost/json.hpp>
#include <array>
#include <atomic>
#include <chrono>
#include <thread>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "sta/service.h"

namespace datenwerk::sta {

// "Datastreams[0].name": where a member sits in a request body.
inline std::string Member(const std::string& where, std::string_view name) {
  return where.empty() ? std::string(name) : where + "." + std::string(name);
}

// Where a MultiDatastream keeps the order of its ObservedProperties (the order of its
// unitOfMeasurements and result arrays); links alone are unordered. Never rendered.
inline constexpr std::string_view kPropertyOrder = "_observedProperties";

// A resolved entity reference.
struct Ref {
  EntityType type;
  int64_t id;
};

// An entity created by the running write; `doc` is set for Observations, which do not change
// after they are created (so notifications need not read them back).
struct CreatedEntity {
  Ref ref;
  std::optional<boost::json::object> doc;
};

// Cheap enough to call per entity (reads the clock every 64th call): kDeadlineExceeded once the
// innermost ReadDeadline of this thread has passed.
Status CheckReadDeadline();

class SensorThingsService::Impl {
 public:
  static constexpr int64_t kMaxFilterCandidates = 200'000;
  // A $filter reads the addressed set in pages from this size, doubling up to the second.
  static constexpr int64_t kFirstFilterPage = 1'000;
  static constexpr int64_t kMaxFilterPage = 50'000;

  Impl(std::unique_ptr<EntityStore> store, const Clock& clock)
      : store(std::move(store)), clock(clock) {}

  // Follows the path's segments. For a collection path, `parent` is the entity owning it (if the
  // path is nested); otherwise `target` is the single entity addressed.
  struct Resolved {
    std::optional<Ref> parent;
    const NavigationDef* via = nullptr;
    std::optional<Ref> target;
  };
  Result<Resolved> Resolve(const ResourcePath& path);

  // One page of a list, with $filter, $count, $skip and $top applied (18-088 9.3.2 order).
  struct Page {
    std::vector<StoredEntity> items;
    std::optional<int64_t> total;
    bool more = false;
  };
  Result<Page> Fetch(ListRequest request, const QueryOptions& options);
  // Whether `e` (of `type`) matches `filter`, its paths resolved through the store.
  Result<bool> Matches(const Filter& filter, EntityType type, const StoredEntity& e, int64_t now);
  // Values of a $filter path for one entity.
  Result<std::vector<boost::json::value>> PathValues(EntityType type, const StoredEntity& e,
                                                     const std::vector<std::string>& path,
                                                     size_t at);

  // Observations as the Data Array extension shows them (18-088, 14.3): one object per
  // (Multi)Datastream, in order of first appearance, with "components" ($select, or every
  // property) and one row per Observation.
  Result<boost::json::array> DataArray(const std::vector<StoredEntity>& observations,
                                       const QueryOptions& options, const std::string& base);
  Result<boost::json::object> Render(EntityType type, const StoredEntity& e,
                                     const QueryOptions& options, const std::string& base);
  static std::string SelfLink(const std::string& base, EntityType type, int64_t id);

  // Writes (service_write.cc). RunWrite runs `work` in one store transaction and afterwards
  // widens the times of the Datastreams whose Observations it created; `created_out` (if set)
  // receives what it created.
  Status RunWrite(const std::function<Status()>& work, std::vector<CreatedEntity>* created_out);
  Result<Ref> CreateEntity(const EntityDef& def, const boost::json::object& body,
                           std::optional<std::pair<const NavigationDef*, Ref>> implied,
                           const std::string& where);
  // For {"@iot.id": n}: the existing entity (kInvalidArgument if it does not exist); for any
  // other object: nullopt (a new entity to create).
  Result<std::optional<Ref>> LinkTarget(const EntityDef& child, const boost::json::value& v,
                                        const std::string& at);
  Status LinkBoth(const Ref& from, const NavigationDef& nav, const Ref& to);
  // Removes from --nav--> * and the inverse links.
  Status UnlinkBoth(const Ref& from, const NavigationDef& nav);
  Status Cascade(const Ref& ref);
  // An Observation with its Datastream and (18-088 10.2) FeatureOfInterest resolved.
  Result<Ref> CreateObservation(const boost::json::object& doc, int64_t datastream,
                                int64_t feature, const std::string& where);
  // The FeatureOfInterest made (once) from the Location of the Datastream's Thing.
  Result<int64_t> DefaultFeature(const Ref& stream, const std::string& where);
  // An Observation of a MultiDatastream: its result is an array, one value per ObservedProperty.
  Result<Ref> CreateMultiObservation(const boost::json::object& doc, int64_t multi,
                                     int64_t feature, const std::string& where);
  // The ObservedProperties of a MultiDatastream in their order.
  Result<std::vector<int64_t>> PropertyOrder(int64_t multi);
  // Adds an ObservedProperty linked from its side to the end of the MultiDatastream's order.
  Status AppendPropertyOrder(int64_t multi, int64_t property);
  // A page of MultiDatastreams(id)/ObservedProperties in their order (no $orderby given).
  Result<Page> FetchInPropertyOrder(int64_t multi, const QueryOptions& options);
  // 18-088 13.1: as many unitOfMeasurements and multiObservationDataTypes as ObservedProperties.
  Status CheckMultiDatastream(int64_t id, const std::string& where);
  // (Multi)Datastream phenomenonTime/resultTime widened at the end of the write.
  void WidenSpans(const Ref& stream, const boost::json::object& observation);
  // which: 0 phenomenonTime, 1 resultTime.
  void WidenSpan(const Ref& stream, int which, const std::string& start, const std::string& end);
  // The default FeatureOfInterest of a Datastream that can take plain Observations
  // (kInvalidArgument when there is no such Datastream or it lacks a Location).
  Result<int64_t> PlainTarget(const boost::json::value& datastream_id);
  // Stores plain Observations of one Datastream; appends their ids to `ids` in order.
  Status InsertPlain(int64_t datastream, int64_t feature, const std::vector<Measurement>& rows,
                     std::vector<int64_t>& ids);
  Status FlushSpans();
  // Adds a new Observation with a numeric result to `readings` (for the readings listener).
  void NoteReading(int64_t datastream, const boost::json::object& doc);
  // Recomputes the stored phenomenonTime and resultTime of the (Multi)Datastreams that lost
  // Observations in this write from the Observations kept as documents (a store's series add
  // their own span on reads): null when none is left.
  Status ShrinkSpans();
  // Records a HistoricalLocation for each Thing whose Locations this write changed, and makes
  // the Locations of a client's HistoricalLocation newer than all others current (18-088 10.2).
  Status RecordLocationHistory();

  // Tells the listener about the entities created by the last committed write.
  void Notify(const std::vector<CreatedEntity>& created, const std::string& base);
  // Tells the listener about an entity a PATCH changed (the MQTT extension, 18-088 14.2.1):
  // the entity under "Things(1)", each property the PATCH named under "Things(1)/name" as
  // {"name": value}, and the entity under the to-one navigation paths that reach it, such as
  // "Datastreams(3)/Thing" (at most kMaxNavigationNotices of them).
  void NotifyUpdate(const Ref& target, const boost::json::object& patch,
                    const boost::json::object& rendered);
  static constexpr size_t kMaxNavigationNotices = 1'000;

  std::unique_ptr<EntityStore> store;
  const Clock& clock;
  std::chrono::milliseconds read_budget = SensorThingsService::kDefaultReadBudget;
  CreatedListener listener;
  ReadingsListener readings_listener;
  bool notify_latest_of_bulk = false;
  // State of the running write (writes are serialised by the store).
  std::atomic<std::thread::id> writer;  // the thread running a write, if any
  bool InWrite() const { return writer.load() == std::this_thread::get_id(); }
  // Marks this thread as the writer and starts with empty write state; every way out of the
  // scope (return, error, exception) clears both, so a failed write cannot leave a thread
  // believing it is inside a transaction.
  class WriteScope {
   public:
    explicit WriteScope(Impl& impl) : impl_(impl) {
      impl_.ClearWriteState();
      impl_.writer = std::this_thread::get_id();
    }
    ~WriteScope() {
      impl_.ClearWriteState();
      impl_.writer = std::thread::id();
    }
    WriteScope(const WriteScope&) = delete;
    WriteScope& operator=(const WriteScope&) = delete;

   private:
    Impl& impl_;
  };
  void ClearWriteState() {
    created.clear();
    spans.clear();
    default_features.clear();
    known.clear();
    shrunk.clear();
    moved_things.clear();
    manual_histories.clear();
    readings.clear();
  }
  std::vector<CreatedEntity> created;
  std::vector<CommittedReading> readings;  // the numeric Observations this write created
  // (Multi)Datastream -> phenomenonTime and resultTime bounds; -> default FeatureOfInterest.
  std::map<std::pair<EntityType, int64_t>, std::array<std::string, 4>> spans;
  std::map<std::pair<EntityType, int64_t>, int64_t> default_features;
  std::set<std::pair<EntityType, int64_t>> known;          // checked to exist in this write
  std::set<std::pair<EntityType, int64_t>> shrunk;  // (Multi)Datastreams that lost Observations
  std::set<int64_t> moved_things;         // Things whose Locations changed in this write
  std::vector<int64_t> manual_histories;  // HistoricalLocations a client created in this write
};

}  // namespace datenwerk::sta
