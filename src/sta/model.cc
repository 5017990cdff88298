#include "sta/model.h"

namespace datenwerk::sta {

namespace {

using K = PropertyKind;
using T = EntityType;

std::vector<EntityDef> Build() {
  const PropertyDef name{"name", K::kString, true};
  const PropertyDef description{"description", K::kString, true};
  const PropertyDef properties{"properties", K::kObject};
  const PropertyDef encoding{"encodingType", K::kString, true};
  return {
      {T::kThing, "Things", "Thing",
       {name, description, properties},
       {{"Locations", T::kLocation, true, "Things"},
        {"HistoricalLocations", T::kHistoricalLocation, true, "Thing"},
        {"Datastreams", T::kDatastream, true, "Thing"},
        {"MultiDatastreams", T::kMultiDatastream, true, "Thing"}}},
      {T::kLocation, "Locations", "Location",
       {name, description, encoding, {"location", K::kAny, true}, properties},
       {{"Things", T::kThing, true, "Locations"},
        {"HistoricalLocations", T::kHistoricalLocation, true, "Locations"}}},
      {T::kHistoricalLocation, "HistoricalLocations", "HistoricalLocation",
       {{"time", K::kInstant, true}},
       {{"Thing", T::kThing, false, "HistoricalLocations", true},
        {"Locations", T::kLocation, true, "HistoricalLocations"}}},
      {T::kSensor, "Sensors", "Sensor",
       {name, description, encoding, {"metadata", K::kAny, true}, properties},
       {{"Datastreams", T::kDatastream, true, "Sensor"},
        {"MultiDatastreams", T::kMultiDatastream, true, "Sensor"}}},
      {T::kObservedProperty, "ObservedProperties", "ObservedProperty",
       {name, {"definition", K::kString, true}, description, properties},
       {{"Datastreams", T::kDatastream, true, "ObservedProperty"},
        {"MultiDatastreams", T::kMultiDatastream, true, "ObservedProperties"}}},
      {T::kDatastream, "Datastreams", "Datastream",
       {name, description, {"unitOfMeasurement", K::kObject, true},
        {"observationType", K::kString, true}, {"observedArea", K::kAny, false, true},
        {"phenomenonTime", K::kInterval, false, true}, {"resultTime", K::kInterval, false, true},
        properties},
       {{"Thing", T::kThing, false, "Datastreams", true},
        {"Sensor", T::kSensor, false, "Datastreams", true},
        {"ObservedProperty", T::kObservedProperty, false, "Datastreams", true},
        {"Observations", T::kObservation, true, "Datastream"}}},
      {T::kFeatureOfInterest, "FeaturesOfInterest", "FeatureOfInterest",
       {name, description, encoding, {"feature", K::kAny, true}, properties},
       {{"Observations", T::kObservation, true, "FeatureOfInterest"}}},
      {T::kObservation, "Observations", "Observation",
       {{"phenomenonTime", K::kTime}, {"result", K::kAny, true}, {"resultTime", K::kInstant},
        {"resultQuality", K::kAny}, {"validTime", K::kInterval}, {"parameters", K::kObject}},
       // Exactly one of Datastream and MultiDatastream: checked on create.
       {{"Datastream", T::kDatastream, false, "Observations"},
        {"FeatureOfInterest", T::kFeatureOfInterest, false, "Observations"},
        {"MultiDatastream", T::kMultiDatastream, false, "Observations"}}},
      {T::kMultiDatastream, "MultiDatastreams", "MultiDatastream",
       {name, description, {"unitOfMeasurements", K::kArray, true},
        {"observationType", K::kString, true}, {"multiObservationDataTypes", K::kArray, true},
        {"observedArea", K::kAny, false, true}, {"phenomenonTime", K::kInterval, false, true},
        {"resultTime", K::kInterval, false, true}, properties},
       {{"Thing", T::kThing, false, "MultiDatastreams", true},
        {"Sensor", T::kSensor, false, "MultiDatastreams", true},
        {"ObservedProperties", T::kObservedProperty, true, "MultiDatastreams"},
        {"Observations", T::kObservation, true, "MultiDatastream"}}},
  };
}

}  // namespace

const PropertyDef* EntityDef::Property(std::string_view n) const {
  for (const PropertyDef& p : properties) {
    if (p.name == n) return &p;
  }
  return nullptr;
}

const NavigationDef* EntityDef::Navigation(std::string_view n) const {
  for (const NavigationDef& nav : navigations) {
    if (nav.name == n) return &nav;
  }
  return nullptr;
}

const std::vector<EntityDef>& AllDefinitions() {
  static const std::vector<EntityDef> kDefs = Build();
  return kDefs;
}

const EntityDef& Definition(EntityType type) { return AllDefinitions()[static_cast<size_t>(type)]; }

const EntityDef* DefinitionBySetName(std::string_view set_name) {
  for (const EntityDef& d : AllDefinitions()) {
    if (d.set_name == set_name) return &d;
  }
  return nullptr;
}

}  // namespace datenwerk::sta
