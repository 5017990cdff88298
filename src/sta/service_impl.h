// Private to sta/service*.cc: the shared state and helpers of SensorThingsService.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <string>

#include "core/thread_annotations.h"
#include "sta/service.h"
#include "sta/staged_write.h"

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

// One write being built (a request, or a change set of several): the staged changes and what
// the service notes while it validates. Applied by SensorThingsService::Impl::Commit.
struct WriteContext {
  WriteContext(EntityStore& store, uint64_t hints_generation)
      : w(store), hints_generation(hints_generation) {}
  StagedWrite w;
  // A change set answers before its commit, so its Observations are documents under ids reserved
  // now (a series point's id is only known when applied).
  bool reserve_observation_ids = false;
  std::map<std::pair<EntityType, int64_t>, int64_t> default_features;  // stream -> feature
  std::set<std::pair<EntityType, int64_t>> known;  // checked to exist in this write
  std::set<int64_t> moved_things;                  // Things whose Locations changed
  std::vector<int64_t> manual_histories;           // HistoricalLocations a client created
  uint64_t hints_generation = 0;                   // of the feature hints when it began
  // PATCHes of a change set, notified after its commit: entity, patch, rendered.
  std::vector<std::tuple<Ref, boost::json::object, boost::json::object>> updates;
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
  Result<Resolved> Resolve(const ResourcePath& path, EntityReader& reader);
  // Whether the entity of the path's target type with `id` lies at the end of `path` (as
  // committed): the path is resolved, its last step checked for the entity.
  Result<bool> Reaches(const ResourcePath& path, int64_t id);

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
  // Render's text, appended to `out` without building the object where there is no $expand.
  Status AppendRendered(EntityType type, const StoredEntity& e, const QueryOptions& options,
                        const std::string& base, std::string& out);
  Result<ReadResult> Read(const ResourcePath& path, const std::map<std::string, std::string>& query,
                          const std::string& base, bool text);
  static std::string SelfLink(const std::string& base, EntityType type, int64_t id);

  // Writes (service_write.cc, service_observations.cc, service_bulk.cc): built with reads only
  // into a WriteContext, then applied by Commit in one transaction.
  //
  // Records the HistoricalLocations the write implies, applies it, and tells the listeners what
  // it created. Returns the results of its ops.
  Result<std::vector<OpResult>> Commit(WriteContext& c, const std::string& base);
  // The id of an Observation CreateEntity answered with: its op's result once applied.
  static int64_t AppliedId(const std::vector<OpResult>& results, const Ref& ref);
  Result<Ref> CreateEntity(WriteContext& c, const EntityDef& def, const boost::json::object& body,
                           std::optional<std::pair<const NavigationDef*, Ref>> implied,
                           const std::string& where);
  // For {"@iot.id": n}: the existing entity (kInvalidArgument if it does not exist); for any
  // other object: nullopt (a new entity to create).
  Result<std::optional<Ref>> LinkTarget(WriteContext& c, const EntityDef& child,
                                        const boost::json::value& v, const std::string& at);
  Status LinkBoth(WriteContext& c, const Ref& from, const NavigationDef& nav, const Ref& to);
  // Removes from --nav--> * and the inverse links.
  Status UnlinkBoth(WriteContext& c, const Ref& from, const NavigationDef& nav);
  Status Cascade(WriteContext& c, const Ref& ref);
  // An Observation with its Datastream and (18-088 10.2) FeatureOfInterest resolved. Its id is
  // negative until applied (see AppliedId) unless the context reserves ids.
  Result<Ref> CreateObservation(WriteContext& c, const boost::json::object& doc,
                                int64_t datastream, int64_t feature, const std::string& where);
  // The FeatureOfInterest made (once) from the Location of the Datastream's Thing.
  Result<int64_t> DefaultFeature(WriteContext& c, const Ref& stream, const std::string& where);
  // An Observation of a MultiDatastream: its result is an array, one value per ObservedProperty.
  Result<Ref> CreateMultiObservation(WriteContext& c, const boost::json::object& doc,
                                     int64_t multi, int64_t feature, const std::string& where);
  // The ObservedProperties of a MultiDatastream in their order.
  static Result<std::vector<int64_t>> PropertyOrder(EntityReader& r, int64_t multi);
  // Adds an ObservedProperty linked from its side to the end of the MultiDatastream's order.
  Status AppendPropertyOrder(WriteContext& c, int64_t multi, int64_t property);
  // A page of MultiDatastreams(id)/ObservedProperties in their order (no $orderby given).
  Result<Page> FetchInPropertyOrder(int64_t multi, const QueryOptions& options);
  // 18-088 13.1: as many unitOfMeasurements and multiObservationDataTypes as ObservedProperties.
  static Status CheckMultiDatastream(EntityReader& r, int64_t id, const std::string& where);
  // The default FeatureOfInterest of a Datastream that can take plain Observations
  // (kInvalidArgument when there is no such Datastream or it lacks a Location).
  Result<int64_t> PlainTarget(WriteContext& c, const boost::json::value& datastream_id);
  // Records a HistoricalLocation for each Thing whose Locations this write changed, and makes
  // the Locations of a client's HistoricalLocation newer than all others current (18-088 10.2).
  Status RecordLocationHistory(WriteContext& c);

  // Tells the listeners about what an applied batch created: every new entity (the newest
  // new one per bulk op only, with notify_latest_of_bulk), and the numeric readings.
  void Notify(const WriteBatch& batch, const std::vector<OpResult>& results, const std::string& base);
  void NotifyCreated(const Ref& ref, const std::optional<boost::json::object>& doc, const std::string& base);
  // Tells the listener about an entity an update changed (the MQTT extension, 18-088 14.2.1):
  // the entity under "Things(1)", each property the update named under "Things(1)/name" as
  // {"name": value}, under its entity set "Things", and under the one-hop paths that reach it
  // (NotifyUnderOwners).
  void NotifyUpdate(const Ref& target, const boost::json::object& patch,
                    const boost::json::object& rendered);
  // The entity under each one-hop navigation path that reaches it: "Datastreams(3)/Thing",
  // "Things(1)/Datastreams", "Things(1)/Locations" (at most kMaxNavigationNotices per
  // navigation; none through Observations, see NeedsMembershipCheck).
  void NotifyUnderOwners(const Ref& ref, const boost::json::object& rendered);
  static constexpr size_t kMaxNavigationNotices = 1'000;

  std::unique_ptr<EntityStore> store;
  const Clock& clock;
  std::chrono::milliseconds read_budget = SensorThingsService::kDefaultReadBudget;
  CreatedListener listener;
  ReadingsListener readings_listener;
  bool notify_latest_of_bulk = false;

  // The default FeatureOfInterest of the (Multi)Datastreams recent writes used: the ingest hot
  // path then builds a write without reads. Only a hint: the write still requires the stream and
  // the feature to exist when applied, and every applied batch that changes anything but
  // Observations empties it (a Thing may have moved). Bounded; thread-safe.
  class FeatureHints {
   public:
    static constexpr size_t kMaxEntries = 100'000;
    std::optional<int64_t> Find(EntityType type, int64_t id) EXCLUDES(mu_);
    // Remembers a feature read at `generation` unless the hints were emptied since.
    void Remember(EntityType type, int64_t id, int64_t feature, uint64_t generation) EXCLUDES(mu_);
    uint64_t Generation() EXCLUDES(mu_);
    void Clear() EXCLUDES(mu_);

   private:
    Mutex mu_;
    uint64_t generation_ GUARDED_BY(mu_) = 0;
    std::map<std::pair<EntityType, int64_t>, int64_t> features_ GUARDED_BY(mu_);
  };
  FeatureHints feature_hints;
};

}  // namespace datenwerk::sta
