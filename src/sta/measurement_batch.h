// The usual form of a CreateObservations request (18-088 14.2) read fast: per Datastream the
// components ["phenomenonTime", "result"] (either order) and rows of an ISO 8601 instant and a
// number. Read with simdjson, without building a JSON document (the ingest hot path).
// Anything else (other components, text or array results, intervals, unknown members) is not
// this form: the reader answers nullopt and the caller takes the general path, which handles
// every case. Pure; thread-safe (one parser per thread).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "sta/entity_store.h"

namespace datenwerk::sta {

struct MeasurementGroup {
  int64_t datastream = 0;
  // In request order; nullopt for a row that is answered "error" (wrong length, bad time).
  std::vector<std::optional<Measurement>> rows;
};

std::optional<std::vector<MeasurementGroup>> ReadMeasurementGroups(std::string_view body);

}  // namespace datenwerk::sta
