// Private to sta/service*.cc: the shared state and helpers of SensorThingsService.
#pragma once

#include <boost/json.hpp>
#include <optional>
#include <string>

#include "sta/service.h"

namespace datenwerk::sta {

// A resolved entity reference.
struct Ref {
  EntityType type;
  int64_t id;
};

class SensorThingsService::Impl {
 public:
  static constexpr int64_t kMaxFilterCandidates = 200'000;

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
  // Values of a $filter path for one entity.
  Result<std::vector<boost::json::value>> PathValues(EntityType type, const StoredEntity& e,
                                                     const std::vector<std::string>& path,
                                                     size_t at);

  Result<boost::json::object> Render(EntityType type, const StoredEntity& e,
                                     const QueryOptions& options, const std::string& base);
  static std::string SelfLink(const std::string& base, EntityType type, int64_t id);

  // Writes (service_write.cc); all run inside store->Write.
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

  // Tells the listener about the entities created by the last committed write.
  void Notify(const std::vector<Ref>& created, const std::string& base);

  std::unique_ptr<EntityStore> store;
  const Clock& clock;
  CreatedListener listener;
  // Filled by CreateEntity while a write runs (writes are serialised by the store).
  std::vector<Ref>* created_sink = nullptr;
};

}  // namespace datenwerk::sta
