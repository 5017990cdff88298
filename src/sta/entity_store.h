// Storage of SensorThings entities: one JSON document per entity and directed links for the
// navigation properties (each relation is stored in both directions). SQLite implementation.
// Thread-safe: every call and every Write() runs under one lock; Write() is one transaction.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sta/model.h"
#include "sta/query_options.h"

namespace datenwerk::sta {

struct StoredEntity {
  int64_t id = 0;
  boost::json::object doc;  // the entity's properties, without @iot annotations
};

struct ListRequest {
  EntityType type;
  // Restrict to the entities reached from (type, id) over a navigation property.
  std::optional<EntityType> from_type;
  int64_t from_id = 0;
  std::string_view via;  // navigation property name on the "from" side
  std::vector<OrderBy> order;  // default: by id
  int64_t skip = 0;
  int64_t top = kDefaultTop;
  bool count = false;
};

struct ListResult {
  std::vector<StoredEntity> entities;
  std::optional<int64_t> total;  // when counted
};

class EntityStore {
 public:
  virtual ~EntityStore() = default;

  // Runs `work` in one transaction: committed when it returns Ok, rolled back otherwise. The
  // other methods may be called inside it (same thread) and outside it.
  virtual Status Write(const std::function<Status()>& work) = 0;

  virtual Result<int64_t> Insert(EntityType type, const boost::json::object& doc) = 0;
  virtual Status Replace(EntityType type, int64_t id, const boost::json::object& doc) = 0;
  // Removes the entity and every link from or to it.
  virtual Status Remove(EntityType type, int64_t id) = 0;
  // Adds from --nav--> to (one direction; callers add the inverse too).
  virtual Status Link(EntityType from, int64_t from_id, std::string_view nav, EntityType to,
                      int64_t to_id) = 0;
  // Removes the links from --nav--> to_id, or from --nav--> * without `to_id`.
  virtual Status Unlink(EntityType from, int64_t from_id, std::string_view nav,
                        std::optional<int64_t> to_id = std::nullopt) = 0;

  virtual Result<std::optional<StoredEntity>> Get(EntityType type, int64_t id) = 0;
  virtual Result<std::vector<int64_t>> Linked(EntityType from, int64_t id,
                                              std::string_view nav) = 0;
  virtual Result<ListResult> List(const ListRequest& request) = 0;
};

Result<std::unique_ptr<EntityStore>> OpenSqliteEntityStore(const std::string& path);

}  // namespace datenwerk::sta
