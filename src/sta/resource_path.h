// Resource paths of the SensorThings API (18-088, 9.2): entity sets, entities by id, navigation
// properties, properties, $value and $ref, nested to any depth, e.g.
// "/Datastreams(1)/Observations(7)/FeatureOfInterest/name/$value". Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sta/model.h"

namespace datenwerk::sta {

struct PathSegment {
  const EntityDef* def = nullptr;  // type addressed by this segment
  const NavigationDef* via = nullptr;  // null for the first segment (an entity set)
  std::optional<int64_t> id;
};

struct ResourcePath {
  std::vector<PathSegment> segments;  // empty: the service root
  std::vector<std::string> property;  // a property (and sub-properties) of the last entity
  bool value = false;                 // "$value": the raw value of that property
  bool ref = false;                   // "$ref": self links only

  // The last segment addresses a set of entities (not one entity, not a property).
  bool IsCollection() const;
  const EntityDef& Target() const { return *segments.back().def; }
};

// `path` is what follows the service root, e.g. "/Things(1)/Datastreams". Errors are
// kInvalidArgument (malformed) with field "path".
Result<ResourcePath> ParseResourcePath(std::string_view path);

}  // namespace datenwerk::sta
