// JSON Patch (RFC 6902) over JSON Pointers (RFC 6901): the body of a SensorThings update with
// Content-Type application/json-patch+json (18-088 10.3.2, class update-entity-jsonpatch).
// A patch is an array of operations {"op": "add"|"remove"|"replace"|"move"|"copy"|"test",
// "path": pointer, "from": pointer, "value": any}, applied in order to a copy of the document:
// all apply or the document is untouched (the caller gets an error naming the operation, e.g.
// "[2].path"). Bounded: at most kMaxOperations operations, pointers of at most kMaxDepth tokens.
// Pure; thread-safe.
#pragma once

#include <boost/json.hpp>

#include "core/status.h"

namespace datenwerk::sta {

inline constexpr size_t kMaxPatchOperations = 1000;
inline constexpr size_t kMaxPointerDepth = 64;

// The patched document, or kInvalidArgument (malformed patch, a path that names nothing) or
// kConflict (a "test" that failed, as RFC 5789 suggests 409 for a patch that cannot apply).
Result<boost::json::value> ApplyJsonPatch(boost::json::value doc, const boost::json::value& patch);

}  // namespace datenwerk::sta
