// The OGC SensorThings API 1.1 sensing data model as data: entity types, their properties and
// navigation properties (OGC 18-088, section 8). Everything else in the module is driven by
// these tables. Immutable; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace datenwerk::sta {

enum class EntityType : uint8_t {
  kThing,
  kLocation,
  kHistoricalLocation,
  kSensor,
  kObservedProperty,
  kDatastream,
  kFeatureOfInterest,
  kObservation,
  kMultiDatastream,  // the MultiDatastream extension (18-088 section 13); last: ids are stored
};

enum class PropertyKind {
  kString,    // JSON string
  kObject,    // JSON object (properties, unitOfMeasurement, parameters)
  kArray,     // JSON array (unitOfMeasurements, multiObservationDataTypes)
  kAny,       // any JSON value (result, location, feature, metadata)
  kInstant,   // ISO 8601 time instant
  kTime,      // instant or interval ("start/end")
  kInterval,  // interval
};

struct PropertyDef {
  std::string_view name;
  PropertyKind kind;
  bool required = false;  // on create
  bool computed = false;  // kept by the server (Datastream times and area); read-only
};

struct NavigationDef {
  std::string_view name;  // e.g. "Datastreams", "Thing"
  EntityType target;
  bool to_many;
  std::string_view inverse;  // the navigation property on the other side
  bool required = false;     // on create (a Datastream needs its Thing, Sensor, ObservedProperty)
};

struct EntityDef {
  EntityType type;
  std::string_view set_name;  // "Things"
  std::string_view singular;  // "Thing"
  std::vector<PropertyDef> properties;
  std::vector<NavigationDef> navigations;

  const PropertyDef* Property(std::string_view name) const;
  const NavigationDef* Navigation(std::string_view name) const;
};

const EntityDef& Definition(EntityType type);
const std::vector<EntityDef>& AllDefinitions();
const EntityDef* DefinitionBySetName(std::string_view set_name);

}  // namespace datenwerk::sta
