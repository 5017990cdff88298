// The SensorThings API sensing core over an EntityStore: resolves resource paths, renders
// entities with @iot annotations, $select and $expand, creates entities with deep insert (all or
// nothing), updates and deletes with the cascades of 18-088 section 10. Transport-free; the HTTP
// layer only converts. A write is checked with reads only and built as a WriteBatch, which the
// store applies in one transaction (style.md 16). Thread-safe.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <map>
#include <memory>
#include <string>

#include "core/dates.h"
#include "sta/entity_store.h"
#include "sta/measurement_batch.h"
#include "sta/query_options.h"
#include "sta/resource_path.h"
#include "sta/subscription.h"

namespace datenwerk::sta {

// What a GET produced: JSON, a raw $value, or nothing (a null property: 204).
struct ReadResult {
  enum class Kind { kJson, kJsonText, kRawValue, kNoContent } kind = Kind::kJson;
  boost::json::value json;
  std::string raw;  // kRawValue: the property's value; kJsonText: the answer as JSON text
};

struct CommittedReading {
  int64_t datastream = 0;
  int64_t time_ms = 0;
  double value = 0;
};

struct Created {
  std::string self_link;
  boost::json::object entity;
};

// The time reads on this thread may take while it lives (reads run on many threads at once, so
// it is thread-local); nested ones keep the earlier end. Every Read() opens one of
// SensorThingsService::ReadBudget(); a $batch opens one around all its requests.
class ReadDeadline {
 public:
  explicit ReadDeadline(std::chrono::milliseconds budget);
  ~ReadDeadline();
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;

 private:
  std::optional<std::chrono::steady_clock::time_point> outer_;
};

struct WriteContext;

// Several writes that commit together: a $batch atomicity group, an import. The writes given one
// are checked and staged into it and answer as if stored; SensorThingsService::Commit applies
// them all in one transaction, or none. Reads meanwhile see what is committed. Observations
// created in a change set are kept as documents (their ids must be known before the commit).
// Movable; used by one thread at a time.
class ChangeSet {
 public:
  ChangeSet(ChangeSet&&) noexcept;
  ChangeSet& operator=(ChangeSet&&) noexcept;
  ~ChangeSet();

 private:
  friend class SensorThingsService;
  explicit ChangeSet(std::unique_ptr<WriteContext> context);
  std::unique_ptr<WriteContext> context_;
};

class SensorThingsService {
 public:
  // How long one read may run before it answers kDeadlineExceeded (503): a request that would
  // take longer holds a server thread that other clients need. Set before serving.
  static constexpr std::chrono::milliseconds kDefaultReadBudget{10'000};
  void SetReadBudget(std::chrono::milliseconds budget);
  std::chrono::milliseconds ReadBudget() const;

  // Takes the store; borrows the clock (must outlive the service).
  SensorThingsService(std::unique_ptr<EntityStore> store, const Clock& clock);

  // `base` is the service root URL, e.g. "http://localhost:8080/sta/v1.1"; `query` the decoded
  // URL parameters (for @iot.nextLink).
  Result<ReadResult> Read(const ResourcePath& path, const std::map<std::string, std::string>& query,
                          const std::string& base);
  // The same answer, a list written straight to JSON text (kJsonText) instead of built as a
  // document: what HTTP sends, without an object per entity.
  Result<ReadResult> ReadText(const ResourcePath& path, const std::map<std::string, std::string>& query,
                              const std::string& base);
  // POST to a collection path. kInvalidArgument names the offending member ("Datastreams[0].name").
  // With `render` false (a client's "Prefer: return=minimal") the entity is not read back and
  // `entity` stays empty.
  // With `changes`, the write is staged into it (see ChangeSet), as for the other writes.
  Result<Created> Create(const ResourcePath& path, const boost::json::value& body,
                         const std::string& base, bool render = true,
                         ChangeSet* changes = nullptr);
  // How an update's body applies to the entity (18-088 10.3):
  //   kMerge      PATCH with a JSON object: the properties and links it names change.
  //   kReplace    PUT: the body is the whole entity; optional properties it leaves out are
  //               removed, required ones must be there; links change only where it names them.
  //   kJsonPatch  PATCH with application/json-patch+json: the operations apply to the entity's
  //               properties (as read, without links or computed ones), the result as by PUT.
  enum class UpdateMode { kMerge, kReplace, kJsonPatch };
  // Updates one entity; returns it as it is now.
  Result<boost::json::object> Update(const ResourcePath& path, const boost::json::value& body,
                                     const std::string& base, ChangeSet* changes = nullptr,
                                     UpdateMode mode = UpdateMode::kMerge);
  Status Delete(const ResourcePath& path, ChangeSet* changes = nullptr);
  // Creates every Observation (each with its "Datastream" link) in one transaction: all or
  // nothing. Returns their self links in order. `first`, if given, is another module's row
  // written first in the same transaction (an uplink's sighting): when it changes no row (seen
  // before) nothing is stored and the answer is kConflict at `first_where`.
  Result<std::vector<std::string>> CreateObservationGroup(
      const std::vector<boost::json::object>& observations, const std::string& base,
      ChangeSet* changes = nullptr, const sql::Statement* first = nullptr,
      const std::string& first_where = "");
  // POST /CreateObservations (18-088 14.2): per Datastream (or MultiDatastream: "MultiDatastream"
  // instead of "Datastream", array results), `components` name the columns of
  // `dataArray` rows. One transaction; the answer lists each new Observation's self link, or
  // "error" in place of a row that could not be stored. kInvalidArgument when the request
  // itself is malformed.
  Result<boost::json::array> CreateObservations(const boost::json::value& body,
                                                const std::string& base,
                                                ChangeSet* changes = nullptr);
  // The same for requests already read by ReadMeasurementGroups (the ingest hot path): the new
  // Observations' ids in row order, nullopt for a row that is answered "error" (in a change set,
  // 0 for the others: their ids are known only once applied).
  Result<std::vector<std::optional<int64_t>>> CreateMeasurements(
      const std::vector<MeasurementGroup>& groups, const std::string& base,
      ChangeSet* changes = nullptr);

  // The ingest hot path of CreateObservationGroup: plain readings (a time and a finite number)
  // of Datastreams, all or nothing, without building a JSON document per reading. A Datastream
  // that does not exist fails the whole group (kInvalidArgument at "[g].Datastream"); `first`
  // as in CreateObservationGroup. Returns the self links in order (per group, per row).
  Result<std::vector<std::string>> CreateReadings(const std::vector<std::pair<int64_t, Measurement>>& readings,
                                                  const std::string& base, const sql::Statement* first,
                                                  const std::string& first_where);

  // Whether the entity exists.
  Result<bool> Exists(EntityType type, int64_t id);
  // Deletes the Observations of a Datastream with phenomenonTime in [from_ms, to_ms), in one
  // transaction (bulk delete, an extension). kNotFound when the Datastream does not exist.
  Result<int64_t> DeleteObservations(int64_t datastream, int64_t from_ms, int64_t to_ms);

  ChangeSet BeginChanges();
  // Applies what `changes` staged, all or nothing, and notifies what it created; `changes` is
  // empty afterwards.
  Status Commit(ChangeSet& changes, const std::string& base);

  // Called after each commit for every entity it created (whatever the path: HTTP, MQTT,
  // ingestion) once per topic path it appears under, e.g. "Observations" and
  // "Datastreams(3)/Observations" (the MQTT extension's topics without "v1.1/"); and after a
  // PATCH for the entity ("Things(1)"), each property it named ("Things(1)/name", payload
  // {"name": …}) and the to-one paths that reach it ("Datastreams(3)/Thing"). Set before
  // serving; called on the writing thread.
  using CreatedListener =
      std::function<void(const std::string& path, const boost::json::object& entity)>;
  void SetCreatedListener(CreatedListener listener);
  // Another node changed entities (kSensorThingsTopic): forgets what this node keeps of them to
  // write Observations without reads (each stream's default FeatureOfInterest). Thread-safe.
  void ForgetHints();
  // Called after each commit with the Observations it created whose result is a number (of
  // Datastreams; not of MultiDatastreams), in the order they were created: what alert rules
  // evaluate. Set before serving; called on the writing thread, after the commit.
  using ReadingsListener = std::function<void(const std::vector<CommittedReading>& readings)>;
  void SetReadingsListener(ReadingsListener listener);
  // With true, a bulk create (CreateObservations) tells the listener only of the newest new
  // Observation per Datastream, not of each one: for backfills, where live subscribers want the
  // latest value and not a flood of history. Set before serving.
  void SetNotifyLatestOfBulk(bool latest_only);

  // What a subscriber of `topic` receives for `entity`, notified under topic.path: nullopt
  // when its $filter does not match (paths are resolved through the store, so the entity must
  // be committed), else the entity narrowed to its $select. Thread-safe as reads are.
  // A filter that takes longer is answered kDeadlineExceeded.
  static constexpr std::chrono::milliseconds kSubscriptionFilterBudget{100};
  Result<std::optional<boost::json::object>> ViewForSubscription(const SubscriptionTopic& topic,
                                                                 const boost::json::object& entity);

  // The service document (18-088, 9.2.1).
  static boost::json::value ServiceDocument(const std::string& base);

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace datenwerk::sta
